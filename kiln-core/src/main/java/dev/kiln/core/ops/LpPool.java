package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.Tensor;

/**
 * LpPool: {@code (sum |x|^p)^(1/p)} over each window of 1, 2 or 3 spatial axes, taps in the
 * padding ignored. Windows follow {@link PoolGeometry}; ceil_mode and dilations arrived in opset 18
 * (accepted at any opset). p defaults to 2 (opset 1 stored it as a float, which must be integral).
 */
public final class LpPool extends Op {
    @Override
    public int opcode() {
        return 141;
    }

    @Override
    public void infer(OpContext ctx) {
        PoolGeometry g = PoolGeometry.fromAttributes(ctx);
        ctx.setOutput(0, ctx.inputDtype(0), g.outputDims(ctx, Infer.dims(ctx, 0)));
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        PoolGeometry g = PoolGeometry.fromAttributes(ctx);
        if (g.rank > 3) {
            throw ctx.error("pooling over " + g.rank + " spatial axes is not supported (at most 3)");
        }
        dev.kiln.core.ir.Attribute pa = ctx.attrs().get("p");
        double p = pa == null ? 2 : pa.kind() == dev.kiln.core.ir.Attribute.Kind.FLOAT
                ? ctx.attrs().getFloat("p", 2f) : ctx.attrs().getInt("p", 2);
        if (p <= 0 || p > 64 || p != Math.rint(p)) {
            throw ctx.error("p must be a positive integer (at most 64), found " + p);
        }
        int pi = (int) p;
        return (in, ec) -> new Tensor[] {AveragePool.pool(in[0], g, false, false, pi, ec)};
    }
}
