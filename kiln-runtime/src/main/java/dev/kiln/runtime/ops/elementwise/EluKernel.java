package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.KernelContext;

/** Elu: x where x &gt;= 0, else alpha * (exp(x) - 1) (alpha 1 by default). */
public final class EluKernel extends UnaryKernel {
    public static final EluKernel INSTANCE = new EluKernel();

    private final float alpha;

    private EluKernel() {
        this(1f);
    }

    private EluKernel(float alpha) {
        super("Elu", 12);
        this.alpha = alpha;
    }

    @Override
    protected UnaryKernel configure(KernelContext ctx) {
        return new EluKernel(ctx.attrs().getFloat("alpha", 1f));
    }

    @Override
    protected double apply(double x) {
        return x >= 0 ? x : alpha * Math.expm1(x);
    }
}
