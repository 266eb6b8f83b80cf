package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.PoolGeometry;
import dev.kiln.runtime.ops.nn.LpPoolKernel;

/**
 * LpPool: {@code (sum |x|^p)^(1/p)} over each window of 1, 2 or 3 spatial axes, taps in the
 * padding ignored. Windows follow {@link PoolGeometry}; ceil_mode and dilations arrived in opset 18
 * (accepted at any opset). p defaults to 2 (opset 1 stored it as a float, which must be integral).
 *
 * <p>Kernel: {@link LpPoolKernel}.
 */
public final class LpPool extends Op {
    @Override
    public void infer(OpContext ctx) {
        PoolGeometry g = PoolGeometry.fromAttributes(ctx);
        ctx.setOutput(0, ctx.inputDtype(0), PoolInference.outputDims(ctx, g, Infer.dims(ctx, 0)));
    }
}
