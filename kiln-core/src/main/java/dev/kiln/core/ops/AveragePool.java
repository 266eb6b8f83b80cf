package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.PoolGeometry;
import dev.kiln.runtime.ops.nn.AveragePoolKernel;

/**
 * AveragePool: the mean of each window over 1, 2 or 3 spatial axes of an [N, C, ...] tensor, with
 * windows placed by {@link PoolGeometry} (dilations from opset 19).
 *
 * <p>The divisor is the number of taps inside the input, or with {@code count_include_pad = 1} the
 * number of taps including padding. ONNX Runtime counts the latter differently by opset, and so do
 * we: before opset 19 it is the whole kernel, even for a ceil_mode window that runs past the end
 * padding; from opset 19 only taps up to the end padding are counted, where the end padding of
 * spatial axis i is read as element {@code 2i+1} of the (begin..., end...) pads list, as if it were
 * interleaved. For one axis, or two axes with equal padding, that is the axis's own end padding.
 *
 * <p>Kernel: {@link AveragePoolKernel}.
 */
public final class AveragePool extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }

    @Override
    public void infer(OpContext ctx) {
        PoolGeometry g = PoolGeometry.fromAttributes(ctx);
        ctx.setOutput(0, ctx.inputDtype(0), PoolInference.outputDims(ctx, g, Infer.dims(ctx, 0)));
    }
}
