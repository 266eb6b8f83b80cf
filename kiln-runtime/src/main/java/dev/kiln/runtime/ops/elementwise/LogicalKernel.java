package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.tensor.DType;

import java.util.function.LongBinaryOperator;

/** And, Or, Xor: a logical operation on two bool tensors with numpy broadcasting. */
public final class LogicalKernel extends BinaryKernel {
    private final LongBinaryOperator op;

    /** The operator {@code opType} computing {@code op} on the 0/1 values of its operands. */
    public LogicalKernel(String opType, int opcode, LongBinaryOperator op) {
        super(opType, opcode);
        this.op = op;
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
        return op.applyAsLong(a, b);
    }
}
