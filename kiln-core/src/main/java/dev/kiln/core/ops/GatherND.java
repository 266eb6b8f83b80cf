package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.GatherNDKernel;

/**
 * GatherND: each length-m row of indices (its last dim) addresses a slice of data; the first
 * batch_dims dims (opset 12) are shared by data and indices. Output shape:
 * indices.shape[:-1] + data.shape[batch_dims + m:]. Kernel: {@link GatherNDKernel}.
 */
public final class GatherND extends Op {
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
        int[] data = ctx.inputShape(0);
        int[] is = ctx.inputShape(1);
        int b = (int) ctx.attrs().getInt("batch_dims", 0);
        if (data == null || is == null || is.length == 0 || is[is.length - 1] < 0) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        int m = is[is.length - 1];
        if (b + m > data.length) {
            throw ctx.error("index rows of length " + m + " do not fit data of rank " + data.length
                    + " with batch_dims " + b);
        }
        ctx.setOutput(0, ctx.inputDtype(0), GatherNDKernel.outShape(data, is, b));
    }
}
