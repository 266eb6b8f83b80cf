package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.tensor.DType;

/** Greater: {@code a > b} elementwise with numpy broadcasting; bool output. */
public final class GreaterKernel extends BinaryKernel {
    public static final GreaterKernel INSTANCE = new GreaterKernel();

    private GreaterKernel() {
        super("Greater", 45);
    }

    @Override
    public DType outputType(DType input) {
        return DType.BOOL;
    }

    @Override
    protected double apply(double a, double b) {
        return a > b ? 1 : 0;
    }

    @Override
    protected float applyFloat(float a, float b) {
        return a > b ? 1 : 0;
    }

    @Override
    protected long applyLong(long a, long b) {
        return a > b ? 1 : 0;
    }

    @Override
    protected long applyUnsigned64(long a, long b) {
        return Long.compareUnsigned(a, b) > 0 ? 1 : 0;
    }
}
