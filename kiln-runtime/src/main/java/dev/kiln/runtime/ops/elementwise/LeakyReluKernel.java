package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.KernelContext;

/** LeakyRelu: x where x &gt;= 0, else alpha * x (alpha 0.01 by default). */
public final class LeakyReluKernel extends UnaryKernel {
    public static final LeakyReluKernel INSTANCE = new LeakyReluKernel();

    private final float alpha;

    private LeakyReluKernel() {
        this(0.01f);
    }

    private LeakyReluKernel(float alpha) {
        super("LeakyRelu", 10);
        this.alpha = alpha;
    }

    @Override
    protected UnaryKernel configure(KernelContext ctx) {
        return new LeakyReluKernel(ctx.attrs().getFloat("alpha", 0.01f));
    }

    @Override
    protected double apply(double x) {
        return x >= 0 ? x : alpha * x;
    }

    @Override
    protected float applyFloat(float x) {
        return x >= 0 ? x : alpha * x;
    }

    @Override
    protected void applyFloats(float[] x, float[] out, int from, int to) {
        float a = alpha;
        // branch-free (max/min vectorise, a select does not): exactly x for x >= 0 and alpha * x below
        for (int i = from; i < to; i++) out[i] = Math.max(x[i], 0f) + a * Math.min(x[i], 0f);
    }
}
