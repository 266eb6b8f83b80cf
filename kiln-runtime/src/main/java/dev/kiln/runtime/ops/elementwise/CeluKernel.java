package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.KernelContext;

/** Celu: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)) (alpha 1 by default). */
public final class CeluKernel extends UnaryKernel {
    public static final CeluKernel INSTANCE = new CeluKernel();

    private final float alpha;

    private CeluKernel() {
        this(1f);
    }

    private CeluKernel(float alpha) {
        super("Celu", 120);
        this.alpha = alpha;
    }

    @Override
    protected UnaryKernel configure(KernelContext ctx) {
        float a = ctx.attrs().getFloat("alpha", 1f);
        if (a == 0) {
            throw ctx.error("attribute alpha must not be 0");
        }
        return new CeluKernel(a);
    }

    @Override
    protected double apply(double x) {
        return Math.max(0, x) + Math.min(0, alpha * Math.expm1(x / alpha));
    }
}
