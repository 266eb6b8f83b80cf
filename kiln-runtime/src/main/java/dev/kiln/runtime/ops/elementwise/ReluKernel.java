package dev.kiln.runtime.ops.elementwise;

/** Relu: max(x, 0); NaN stays NaN. Signed integers from opset 14. */
public final class ReluKernel extends UnaryKernel {
    public static final ReluKernel INSTANCE = new ReluKernel();

    private ReluKernel() {
        super("Relu", 9);
    }

    @Override
    protected double apply(double x) {
        return x > 0 ? x : (x == x ? 0 : x);
    }

    @Override
    protected float applyFloat(float x) {
        return x > 0 ? x : (x == x ? 0f : x);
    }

    @Override
    protected void applyFloats(float[] x, float[] out, int from, int to) {
        // Math.max keeps NaN and maps -0 to +0, like the scalar form
        for (int i = from; i < to; i++) out[i] = Math.max(x[i], 0f);
    }

    @Override
    protected boolean acceptsIntegers() {
        return true;
    }

    @Override
    protected long applyLong(long x) {
        return Math.max(x, 0);
    }

    @Override
    protected long applyUnsigned64(long x) {
        return x;
    }
}
