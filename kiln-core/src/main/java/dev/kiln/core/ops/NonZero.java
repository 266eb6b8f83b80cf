package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.NonZeroKernel;

import dev.kiln.runtime.tensor.DType;

/**
 * NonZero: the coordinates of the non-zero elements as an int64 [rank, count] tensor. The count
 * depends on the data, so inference leaves it unknown. Kernel: {@link NonZeroKernel}.
 */
public final class NonZero extends Op {
    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] s = ctx.inputShape(0);
        ctx.setOutput(0, DType.INT64, new int[] {s == null ? -1 : Math.max(1, s.length), -1});
    }
}
