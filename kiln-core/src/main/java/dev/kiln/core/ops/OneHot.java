package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.OneHotKernel;

import dev.kiln.runtime.tensor.Tensor;

/**
 * OneHot: a new dim of size depth inserted at axis (default -1, the last); the entry matching each
 * index is values[1], every other values[0]. Kernel: {@link OneHotKernel}.
 */
public final class OneHot extends Op {
    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] is = ctx.inputShape(0);
        if (is == null) {
            ctx.setOutput(0, ctx.inputDtype(2), (int[]) null);
            return;
        }
        int a = OneHotKernel.axis(ctx.attrs().getInt("axis", -1), is.length);
        Tensor d = ctx.constant(1);
        int[] out = new int[is.length + 1];
        for (int i = 0, k = 0; i < out.length; i++) {
            out[i] = i == a ? (d == null ? -1 : OneHotKernel.depth(d)) : is[k++];
        }
        ctx.setOutput(0, ctx.inputDtype(2), out);
    }
}
