package dev.kiln.runtime.ops.elementwise;

/** Abs: absolute value, every numeric type (integers wrap like C: abs(-128) is -128 in int8). */
public final class AbsKernel extends UnaryKernel {
    public static final AbsKernel INSTANCE = new AbsKernel();

    private AbsKernel() {
        super("Abs", 28);
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
