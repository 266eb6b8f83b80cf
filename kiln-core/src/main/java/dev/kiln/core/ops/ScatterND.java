package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ScatterNDKernel;

/**
 * ScatterND: a copy of data where the slice addressed by each index row (as in GatherND) is
 * replaced by, or combined with (reduction, opsets 16 and 18), the matching slice of updates.
 * Kernel: {@link ScatterNDKernel}.
 */
public final class ScatterND extends Op {
    @Override
    public int minOpset() {
        return 11;
    }

    @Override
    public void infer(OpContext ctx) {
        Infer.sameAsInput(ctx, 0, 0);
    }
}
