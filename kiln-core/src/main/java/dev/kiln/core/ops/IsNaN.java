package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.DType;

/** IsNaN: true where x is NaN; float inputs, bool output. */
public final class IsNaN extends Op {
    @Override
    public int opcode() {
        return 136;
    }

    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, ctx.inputType(0).withDtype(DType.BOOL));
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        return FloatPredicate.prepare(ctx, type(), v -> v != v);
    }
}
