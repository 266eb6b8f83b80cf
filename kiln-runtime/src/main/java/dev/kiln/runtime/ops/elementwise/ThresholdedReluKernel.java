package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.KernelContext;

/** ThresholdedRelu: x where x &gt; alpha, else 0 (alpha 1 by default). */
public final class ThresholdedReluKernel extends UnaryKernel {
    public static final ThresholdedReluKernel INSTANCE = new ThresholdedReluKernel();

    private final float alpha;

    private ThresholdedReluKernel() {
        this(1f);
    }

    private ThresholdedReluKernel(float alpha) {
        super("ThresholdedRelu", 121);
        this.alpha = alpha;
    }

    @Override
    protected UnaryKernel configure(KernelContext ctx) {
        return new ThresholdedReluKernel(ctx.attrs().getFloat("alpha", 1f));
    }

    @Override
    protected double apply(double x) {
        return x > alpha ? x : 0;
    }
}
