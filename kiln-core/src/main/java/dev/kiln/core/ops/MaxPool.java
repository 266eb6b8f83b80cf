package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.PoolGeometry;
import dev.kiln.runtime.ops.nn.MaxPoolKernel;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.DType;

/**
 * MaxPool: the maximum of each window over 1, 2 or 3 spatial axes of an [N, C, ...] tensor.
 * Windows follow {@link PoolGeometry} (kernel_shape, strides, pads, auto_pad, dilations, ceil_mode).
 * Taps in the padding are ignored; the first maximum of a window wins.
 *
 * <p>The optional second output (opset 8) holds for each maximum its flat index in X counted over
 * the whole tensor: {@code (n*C + c) * plane + position}, where position is row-major, or with
 * {@code storage_order = 1} column-major over the spatial axes.
 *
 * <p>Types: float, float16, bfloat16, double, and int8/uint8 (opset 12).
 *
 * <p>Kernel: {@link MaxPoolKernel}.
 */
public final class MaxPool extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        PoolGeometry g = PoolGeometry.fromAttributes(ctx);
        Dim[] out = PoolInference.outputDims(ctx, g, Infer.dims(ctx, 0));
        ctx.setOutput(0, ctx.inputDtype(0), out);
        if (ctx.hasOutput(1)) {
            ctx.setOutput(1, DType.INT64, out);
        }
    }
}
