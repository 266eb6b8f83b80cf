package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.CastLikeKernel;

/**
 * CastLike (opset 15): Cast to the element type of the second input (whose values are ignored).
 * Kernel: {@link CastLikeKernel}.
 */
public final class CastLike extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public int minOpset() {
        return 15;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, ctx.inputType(0).withDtype(ctx.inputDtype(1)));
    }
}
