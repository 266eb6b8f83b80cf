package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.MeanVarianceNormalizationKernel;
import dev.kiln.runtime.ops.norm.Reduction;

import dev.kiln.runtime.tensor.DType;

/**
 * MeanVarianceNormalization: {@code y = (x - mean) / (sqrt(var) + 1e-9)} with mean and variance
 * taken over {@code axes} (default [0, 2, 3]), as in the operator's function definition.
 * Kernel: {@link MeanVarianceNormalizationKernel}.
 */
public final class MeanVarianceNormalization extends Op {
    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && !t.isFloatingPoint()) {
            throw ctx.error("expects a floating-point input, found " + t);
        }
        int[] shape = ctx.inputShape(0);
        if (shape != null) {
            try {
                Reduction.axesMask(MeanVarianceNormalizationKernel.axes(ctx), shape.length);
            } catch (IllegalArgumentException e) {
                throw ctx.error(e.getMessage());
            }
        }
        Infer.sameAsInput(ctx, 0, 0);
    }
}
