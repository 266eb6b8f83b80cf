package dev.kiln.runtime.ops.elementwise;

/** Min: elementwise minimum of any number of inputs with numpy broadcasting; NaN propagates. */
public final class MinKernel extends BinaryKernel {
    public static final MinKernel INSTANCE = new MinKernel();

    private MinKernel() {
        super("Min", 41);
    }

    @Override
    public boolean variadic() {
        return true;
    }

    @Override
    protected double apply(double a, double b) {
        return Math.min(a, b);
    }

    @Override
    protected float applyFloat(float a, float b) {
        return Math.min(a, b);
    }

    @Override
    protected long applyLong(long a, long b) {
        return Math.min(a, b);
    }

    @Override
    protected long applyUnsigned64(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }
}
