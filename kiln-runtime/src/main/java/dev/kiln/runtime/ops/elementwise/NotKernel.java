package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.tensor.DType;

/** Not: logical negation of a bool tensor. */
public final class NotKernel extends UnaryKernel {
    public static final NotKernel INSTANCE = new NotKernel();

    private NotKernel() {
        super("Not", 49);
    }

    @Override
    protected boolean accepts(DType t) {
        return t == DType.BOOL;
    }

    @Override
    protected double apply(double x) {
        return x == 0 ? 1 : 0;
    }

    @Override
    protected long applyLong(long x) {
        return x == 0 ? 1 : 0;
    }
}
