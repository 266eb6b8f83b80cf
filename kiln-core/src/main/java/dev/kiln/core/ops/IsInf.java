package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.DType;

/** IsInf: true where x is +inf (when detect_positive) or -inf (when detect_negative); bool output. */
public final class IsInf extends Op {
    @Override
    public int opcode() {
        return 137;
    }

    @Override
    public int minOpset() {
        return 10;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, ctx.inputType(0).withDtype(DType.BOOL));
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        boolean pos = ctx.attrs().getInt("detect_positive", 1) != 0;
        boolean neg = ctx.attrs().getInt("detect_negative", 1) != 0;
        return FloatPredicate.prepare(ctx, type(),
                v -> (pos && v == Double.POSITIVE_INFINITY) || (neg && v == Double.NEGATIVE_INFINITY));
    }
}
