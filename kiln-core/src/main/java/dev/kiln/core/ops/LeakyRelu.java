package dev.kiln.core.ops;

/** LeakyRelu: x where x &gt;= 0, else alpha * x (alpha 0.01 by default). */
public final class LeakyRelu extends UnaryElementwiseOp {
    private final float alpha;

    public LeakyRelu() {
        this(0.01f);
    }

    private LeakyRelu(float alpha) {
        this.alpha = alpha;
    }

    @Override
    public int opcode() {
        return 10;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    protected UnaryElementwiseOp configure(OpContext ctx) {
        return new LeakyRelu(ctx.attrs().getFloat("alpha", 0.01f));
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
