package dev.kiln.runtime.ops.elementwise;

/** Max: elementwise maximum of any number of inputs with numpy broadcasting; NaN propagates. */
public final class MaxKernel extends BinaryKernel {
    public static final MaxKernel INSTANCE = new MaxKernel();

    private MaxKernel() {
        super("Max", 40);
    }

    @Override
    public boolean variadic() {
        return true;
    }

    @Override
    protected double apply(double a, double b) {
        return Math.max(a, b);
    }

    @Override
    protected float applyFloat(float a, float b) {
        return Math.max(a, b);
    }

    @Override
    protected long applyLong(long a, long b) {
        return Math.max(a, b);
    }

    @Override
    protected long applyUnsigned64(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
