package dev.kiln.core.ops;

/** Selu: gamma * x where x &gt; 0, else gamma * alpha * (exp(x) - 1), with the self-normalising defaults. */
public final class Selu extends UnaryElementwiseOp {
    private static final float DEFAULT_ALPHA = 1.67326319217681884765625f;
    private static final float DEFAULT_GAMMA = 1.05070102214813232421875f;

    private final float alpha;
    private final float gamma;

    public Selu() {
        this(DEFAULT_ALPHA, DEFAULT_GAMMA);
    }

    private Selu(float alpha, float gamma) {
        this.alpha = alpha;
        this.gamma = gamma;
    }

    @Override
    public int opcode() {
        return 13;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    protected UnaryElementwiseOp configure(OpContext ctx) {
        return new Selu(ctx.attrs().getFloat("alpha", DEFAULT_ALPHA), ctx.attrs().getFloat("gamma", DEFAULT_GAMMA));
    }

    @Override
    protected double apply(double x) {
        return x > 0 ? (double) gamma * x : (double) gamma * alpha * Math.expm1(x);
    }
}
