package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ScatterKernel;

/** Scatter (opsets 9-10, deprecated in 11): ScatterElements without reduction. Kernel: {@link ScatterKernel}. */
public final class Scatter extends Op {
    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    public void infer(OpContext ctx) {
        Infer.sameAsInput(ctx, 0, 0);
    }
}
