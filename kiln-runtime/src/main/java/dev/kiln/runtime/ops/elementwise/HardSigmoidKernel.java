package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.KernelContext;

/** HardSigmoid: max(0, min(1, alpha * x + beta)); alpha 0.2 and beta 0.5 by default. */
public final class HardSigmoidKernel extends UnaryKernel {
    public static final HardSigmoidKernel INSTANCE = new HardSigmoidKernel();

    private final float alpha;

    private final float beta;

    private HardSigmoidKernel() {
        this(0.2f, 0.5f);
    }

    private HardSigmoidKernel(float alpha, float beta) {
        super("HardSigmoid", 16);
        this.alpha = alpha;
        this.beta = beta;
    }

    @Override
    protected UnaryKernel configure(KernelContext ctx) {
        return new HardSigmoidKernel(ctx.attrs().getFloat("alpha", 0.2f), ctx.attrs().getFloat("beta", 0.5f));
    }

    @Override
    protected double apply(double x) {
        return Math.max(0, Math.min(1, alpha * x + beta));
    }

    @Override
    protected float applyFloat(float x) {
        return Math.max(0f, Math.min(1f, alpha * x + beta));
    }

    @Override
    protected void applyFloats(float[] x, float[] out, int from, int to) {
        float a = alpha;
        float b = beta;
        for (int i = from; i < to; i++) out[i] = Math.max(0f, Math.min(1f, a * x[i] + b));
    }
}
