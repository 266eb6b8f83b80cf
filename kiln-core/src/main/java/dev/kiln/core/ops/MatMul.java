package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.MatMulKernel;

/**
 * MatMul with numpy semantics: 1-D operands promoted, batch dimensions broadcast.
 *
 * <p>Kernel: {@link MatMulKernel}.
 */
public final class MatMul extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.COMPUTE;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, ctx.inputDtype(0), MatMulKernel.outputShape(ctx.inputShape(0), ctx.inputShape(1)));
    }
}
