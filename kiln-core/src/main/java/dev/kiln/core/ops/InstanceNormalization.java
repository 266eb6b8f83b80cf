package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.InstanceNormalizationKernel;

import dev.kiln.runtime.tensor.DType;

/**
 * InstanceNormalization: each (sample, channel) plane of x [N, C, D1...] is normalized by its own
 * mean and variance, {@code y = scale[c] * (x - mean) / sqrt(var + epsilon) + B[c]}.
 * Kernel: {@link InstanceNormalizationKernel}.
 */
public final class InstanceNormalization extends Op {
    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && !t.isFloatingPoint()) {
            throw ctx.error("expects a floating-point input, found " + t);
        }
        int[] shape = ctx.inputShape(0);
        if (shape != null && shape.length < 2) {
            throw ctx.error("input must have rank >= 2 (N x C x ...), found rank " + shape.length);
        }
        Infer.sameAsInput(ctx, 0, 0);
    }
}
