package dev.kiln.core.ops;

/** Abs: absolute value, every numeric type (integers wrap like C: abs(-128) is -128 in int8). */
public final class Abs extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 28;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    protected double apply(double x) {
        return Math.abs(x);
    }

    @Override
    protected boolean acceptsIntegers() {
        return true;
    }

    @Override
    protected long applyLong(long x) {
        return Math.abs(x);
    }

    @Override
    protected long applyUnsigned64(long x) {
        return x;
    }
}
