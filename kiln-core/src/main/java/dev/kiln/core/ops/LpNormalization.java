package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.LpNormalizationKernel;

import dev.kiln.runtime.tensor.DType;

/**
 * LpNormalization: x divided by its L1 (p = 1) or L2 (p = 2, default) norm along {@code axis}
 * (default -1). A zero norm gives zeros, as in ONNX Runtime. Kernel: {@link LpNormalizationKernel}.
 */
public final class LpNormalization extends Op {
    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && !t.isFloatingPoint()) {
            throw ctx.error("expects a floating-point input, found " + t);
        }
        Infer.sameAsInput(ctx, 0, 0);
    }
}
