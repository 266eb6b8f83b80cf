package dev.kiln.core.ops;

/** Relu: max(x, 0). */
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
    protected boolean acceptsIntegers() {
        return true;
    }

    @Override
    protected long applyLong(long x) {
        return Math.max(x, 0);
    }
}
