package dev.kiln.core.ops;

import dev.kiln.runtime.tensor.DType;

/** Not: logical negation of a bool tensor. */
public final class Not extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 49;
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
