package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.GroupNormalizationKernel;

import dev.kiln.runtime.tensor.DType;

/**
 * GroupNormalization: the channels of x [N, C, D1...] are split into num_groups groups, and each
 * (sample, group) is normalized by its mean and variance, then scaled and shifted. Opset 18 gives
 * scale and bias one value per group; opset 21 one value per channel (either layout is accepted
 * by its size). Statistics are computed in double (stash_type float or better).
 * Kernel: {@link GroupNormalizationKernel}.
 */
public final class GroupNormalization extends Op {
    @Override
    public int minOpset() {
        return 18;
    }

    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && !t.isFloatingPoint()) {
            throw ctx.error("expects a floating-point input, found " + t);
        }
        Infer.sameAsInput(ctx, 0, 0);
    }
}
