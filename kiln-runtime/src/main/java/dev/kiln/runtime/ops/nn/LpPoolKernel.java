package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.AttrView;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.tensor.Tensor;

/**
 * LpPool: {@code (sum |x|^p)^(1/p)} over each window of 1, 2 or 3 spatial axes, taps in the
 * padding ignored. Windows follow {@link PoolGeometry}; ceil_mode and dilations arrived in opset 18
 * (accepted at any opset). p defaults to 2 (opset 1 stored it as a float, which must be integral).
 */
public final class LpPoolKernel extends NamedFactory {
    public static final LpPoolKernel INSTANCE = new LpPoolKernel();

    private LpPoolKernel() {
        super("LpPool", 141);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        PoolGeometry g = PoolGeometry.fromAttributes(ctx);
        if (g.rank > 3) {
            throw ctx.error("pooling over " + g.rank + " spatial axes is not supported (at most 3)");
        }
        double p = exponent(ctx.attrs());
        if (p <= 0 || p > 64 || p != Math.rint(p)) {
            throw ctx.error("p must be a positive integer (at most 64), found " + p);
        }
        int pi = (int) p;
        return (in, ec) -> new Tensor[] {AveragePoolKernel.pool(in[0], g, false, false, pi, ec)};
    }

    /** The p attribute (default 2): an int by the spec, a float as some exporters write it. */
    private static double exponent(AttrView a) {
        if (!a.has("p")) {
            return 2;
        }
        try {
            return a.getInt("p", 2);
        } catch (RuntimeException floatValued) {
            return a.getFloat("p", 2f);
        }
    }
}
