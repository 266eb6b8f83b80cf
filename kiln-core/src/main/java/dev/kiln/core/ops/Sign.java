package dev.kiln.core.ops;

/** Sign: -1, 0 or 1 by the sign of x (NaN stays NaN), every numeric type. */
public final class Sign extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 34;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    protected double apply(double x) {
        return Math.signum(x);
    }

    @Override
    protected boolean acceptsIntegers() {
        return true;
    }

    @Override
    protected long applyLong(long x) {
        return Long.signum(x);
    }

    @Override
    protected long applyUnsigned64(long x) {
        return x == 0 ? 0 : 1;
    }
}
