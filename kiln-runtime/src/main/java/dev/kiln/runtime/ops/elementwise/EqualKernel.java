package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.tensor.DType;

/** Equal: {@code a == b} elementwise with numpy broadcasting; bool output. */
public final class EqualKernel extends BinaryKernel {
    public static final EqualKernel INSTANCE = new EqualKernel();

    private EqualKernel() {
        super("Equal", 44);
    }

    @Override
    protected boolean accepts(DType t) {
        return t == DType.BOOL || super.accepts(t);
    }

    @Override
    public DType outputType(DType input) {
        return DType.BOOL;
    }

    @Override
    protected double apply(double a, double b) {
        return a == b ? 1 : 0;
    }

    @Override
    protected float applyFloat(float a, float b) {
        return a == b ? 1 : 0;
    }

    @Override
    protected long applyLong(long a, long b) {
        return a == b ? 1 : 0;
    }
}
