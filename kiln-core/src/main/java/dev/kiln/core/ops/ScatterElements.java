package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ScatterElementsKernel;

/**
 * ScatterElements: a copy of data where, for every element of updates, the position with the
 * updates coordinate on axis replaced by the index receives it (or combines with it: reduction,
 * opsets 16 and 18). Kernel: {@link ScatterElementsKernel}.
 */
public final class ScatterElements extends Op {
    @Override
    public int minOpset() {
        return 11;
    }

    @Override
    public void infer(OpContext ctx) {
        Infer.sameAsInput(ctx, 0, 0);
    }
}
