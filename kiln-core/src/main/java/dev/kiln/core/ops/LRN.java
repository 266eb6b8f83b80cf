package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.LRNKernel;

import dev.kiln.runtime.tensor.DType;

/**
 * LRN (local response normalization across channels) of x [N, C, D1...]:
 * {@code y = x / (bias + alpha / size * square_sum) ^ beta}, where square_sum adds x^2 over the
 * channels {@code c - floor((size - 1) / 2) .. c + ceil((size - 1) / 2)} that exist.
 * Kernel: {@link LRNKernel}.
 */
public final class LRN extends Op {
    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && !t.isFloatingPoint()) {
            throw ctx.error("expects a floating-point input, found " + t);
        }
        Infer.sameAsInput(ctx, 0, 0);
    }
}
