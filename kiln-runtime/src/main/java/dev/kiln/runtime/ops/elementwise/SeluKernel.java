package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.KernelContext;

/** Selu: gamma * x where x &gt; 0, else gamma * alpha * (exp(x) - 1), with the self-normalising defaults. */
public final class SeluKernel extends UnaryKernel {
    private static final float DEFAULT_ALPHA = 1.67326319217681884765625f;
    private static final float DEFAULT_GAMMA = 1.05070102214813232421875f;

    public static final SeluKernel INSTANCE = new SeluKernel();

    private final float alpha;

    private final float gamma;

    private SeluKernel() {
        this(DEFAULT_ALPHA, DEFAULT_GAMMA);
    }

    private SeluKernel(float alpha, float gamma) {
        super("Selu", 13);
        this.alpha = alpha;
        this.gamma = gamma;
    }

    @Override
    protected UnaryKernel configure(KernelContext ctx) {
        return new SeluKernel(ctx.attrs().getFloat("alpha", DEFAULT_ALPHA), ctx.attrs().getFloat("gamma", DEFAULT_GAMMA));
    }

    @Override
    protected double apply(double x) {
        return x > 0 ? (double) gamma * x : (double) gamma * alpha * Math.expm1(x);
    }
}
