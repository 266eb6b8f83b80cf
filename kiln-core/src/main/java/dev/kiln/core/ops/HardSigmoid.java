package dev.kiln.core.ops;

/** HardSigmoid: max(0, min(1, alpha * x + beta)); alpha 0.2 and beta 0.5 by default. */
public final class HardSigmoid extends UnaryElementwiseOp {
    private final float alpha;
    private final float beta;

    public HardSigmoid() {
        this(0.2f, 0.5f);
    }

    private HardSigmoid(float alpha, float beta) {
        this.alpha = alpha;
        this.beta = beta;
    }

    @Override
    public int opcode() {
        return 16;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    protected UnaryElementwiseOp configure(OpContext ctx) {
        return new HardSigmoid(ctx.attrs().getFloat("alpha", 0.2f), ctx.attrs().getFloat("beta", 0.5f));
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
