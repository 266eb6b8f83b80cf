package dev.kiln.runtime.kernels.math;

/**
 * An elementwise activation a kernel applies to its output in place, while the output is still in
 * cache (a fused Conv -> HardSwish, Conv -> Sigmoid -> Mul...). Each computes exactly what the
 * standalone operator computes in float32, so fusing never changes a bit.
 */
public enum Activation {
    NONE,
    /** x * sigmoid(x): a Sigmoid whose output only feeds a Mul with the same x (SiLU, Swish). */
    SILU,
    SIGMOID,
    /** x * max(0, min(1, x / 6 + 0.5)). */
    HARD_SWISH;

    private static final float SIXTH = 1f / 6f;

    /** HardSwish of one value, the formula the HardSwish operator uses for float32. */
    public static float hardSwish(float v) {
        return v * Math.max(0f, Math.min(1f, v * SIXTH + 0.5f));
    }

    /** f(v), the same bits as the array form gives. */
    public float apply(float v) {
        switch (this) {
            case SILU:
                return v * FloatFunctions.sigmoid(v);
            case SIGMOID:
                return FloatFunctions.sigmoid(v);
            case HARD_SWISH:
                return hardSwish(v);
            default:
                return v;
        }
    }

    /** y[off, off + n) = f(y[off, off + n)). */
    public void apply(float[] y, int off, int n) {
        switch (this) {
            case SILU:
                FloatFunctions.silu(y, off, y, off, n);
                break;
            case SIGMOID:
                FloatFunctions.sigmoid(y, off, y, off, n);
                break;
            case HARD_SWISH:
                for (int i = off, e = off + n; i < e; i++) {
                    y[i] = hardSwish(y[i]);
                }
                break;
            default:
                break;
        }
    }
}
