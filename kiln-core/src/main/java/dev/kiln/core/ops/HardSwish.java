package dev.kiln.core.ops;

/** HardSwish: x * max(0, min(1, x / 6 + 0.5)). */
public final class HardSwish extends UnaryElementwiseOp {
    private static final float SIXTH = 1f / 6f;

    @Override
    public int opcode() {
        return 17;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    public int minOpset() {
        return 14;
    }

    @Override
    protected double apply(double x) {
        return x * Math.max(0, Math.min(1, x / 6 + 0.5));
    }

    @Override
    protected float applyFloat(float x) {
        return x * Math.max(0f, Math.min(1f, x * SIXTH + 0.5f));
    }

    @Override
    protected void applyFloats(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            float v = x[i];
            out[i] = v * Math.max(0f, Math.min(1f, v * SIXTH + 0.5f));
        }
    }
}
