package dev.kiln.core.ops;

/** Relu: max(x, 0); NaN stays NaN. Signed integers from opset 14. */
public final class Relu extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 9;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
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
