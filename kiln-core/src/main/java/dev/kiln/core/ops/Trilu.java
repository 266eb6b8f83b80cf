package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.TriluKernel;

/**
 * Trilu: keeps the upper or lower triangle of the last two dims and zeroes the rest. Kernel:
 * {@link TriluKernel}.
 */
public final class Trilu extends Op {
    @Override
    public int minOpset() {
        return 14;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] s = ctx.inputShape(0);
        if (s != null && s.length < 2) {
            throw ctx.error("expects an input of rank 2 or more, found rank " + s.length);
        }
        Infer.sameAsInput(ctx, 0, 0);
    }
}
