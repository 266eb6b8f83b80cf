package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.GatherElementsKernel;

/**
 * GatherElements: out[i_0..i_k] = data[i_0..indices[i_0..i_k]..i_k] (the index replaces the
 * coordinate on axis); the output has the indices' shape. Kernel: {@link GatherElementsKernel}.
 */
public final class GatherElements extends Op {
    @Override
    public int minOpset() {
        return 11;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, ctx.inputType(1).withDtype(ctx.inputDtype(0)));
    }
}
