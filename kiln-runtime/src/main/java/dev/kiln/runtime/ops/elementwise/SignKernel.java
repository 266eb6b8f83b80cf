package dev.kiln.runtime.ops.elementwise;

/** Sign: -1, 0 or 1 by the sign of x (NaN stays NaN), every numeric type. */
public final class SignKernel extends UnaryKernel {
    public static final SignKernel INSTANCE = new SignKernel();

    private SignKernel() {
        super("Sign", 34);
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
