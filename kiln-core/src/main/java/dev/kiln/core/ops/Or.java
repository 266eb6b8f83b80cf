package dev.kiln.core.ops;

import dev.kiln.runtime.tensor.DType;

/** Or: logical or of two bool tensors with numpy broadcasting. */
public final class Or extends BinaryElementwiseOp {
    @Override
    public int opcode() {
        return 51;
    }

    @Override
    protected boolean accepts(DType t) {
        return t == DType.BOOL;
    }

    @Override
    protected double apply(double a, double b) {
        return applyLong((long) a, (long) b);
    }

    @Override
    protected long applyLong(long a, long b) {
        return a | b;
    }
}
