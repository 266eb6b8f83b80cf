package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.GlobalMaxPoolKernel;
/**
 * GlobalMaxPool: the maximum of each (n, c) plane; the spatial axes of the output are all 1.
 *
 * <p>Kernel: {@link GlobalMaxPoolKernel}.
 */
public final class GlobalMaxPool extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, ctx.inputDtype(0), GlobalAveragePool.globalDims(ctx));
    }
}
