package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.Tensor;

/** Scatter (opsets 9-10, deprecated in 11): ScatterElements without reduction. */
public final class Scatter extends Op {
    @Override
    public int opcode() {
        return 146;
    }

    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    public void infer(OpContext ctx) {
        Infer.sameAsInput(ctx, 0, 0);
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        long axis = ctx.attrs().getInt("axis", 0);
        return (in, ec) -> new Tensor[] {ScatterElements.scatter(in[0], in[1], in[2], axis, ScatterMath.NONE)};
    }
}
