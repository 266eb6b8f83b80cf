package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ReverseSequenceKernel;

/**
 * ReverseSequence: for each batch entry b, reverses the first sequence_lens[b] steps along the time
 * axis and keeps the rest. Kernel: {@link ReverseSequenceKernel}.
 */
public final class ReverseSequence extends Op {
    @Override
    public int minOpset() {
        return 10;
    }

    @Override
    public void infer(OpContext ctx) {
        Infer.sameAsInput(ctx, 0, 0);
    }
}
