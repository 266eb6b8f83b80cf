package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.EyeLikeKernel;

/**
 * EyeLike: a 2-D tensor shaped like the input with ones on the k-th diagonal and zeros elsewhere;
 * element type from the dtype attribute, else the input's. Kernel: {@link EyeLikeKernel}.
 */
public final class EyeLike extends Op {
    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] s = ctx.inputShape(0);
        if (s != null && s.length != 2) {
            throw ctx.error("expects a 2-D input, found rank " + s.length);
        }
        ctx.setOutput(0, EyeLikeKernel.dtype(ctx, ctx.inputDtype(0)), s == null ? new int[] {-1, -1} : s);
    }
}
