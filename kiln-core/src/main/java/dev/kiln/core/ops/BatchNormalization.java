package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.BatchNormalizationKernel;

import dev.kiln.runtime.tensor.DType;

/**
 * BatchNormalization in inference mode: {@code y = (x - mean) / sqrt(var + epsilon) * scale + B}
 * with per-channel statistics (channel = axis 1). Folded per channel into {@code y = x * a + b}.
 *
 * <p>Opsets 7-8 have the {@code spatial} attribute: with spatial = 0 the parameters hold one value
 * per element of a sample ({@code C x D1 x ... x Dn}). Training mode (training_mode = 1 from
 * opset 14, or the running-statistics outputs requested before it) is not supported, as in ONNX
 * Runtime's inference build. From opset 15 the parameters may have another float type than x.
 * Kernel: {@link BatchNormalizationKernel}.
 */
public final class BatchNormalization extends Op {
    @Override
    public void infer(OpContext ctx) {
        BatchNormalizationKernel.checkInference(ctx);
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
