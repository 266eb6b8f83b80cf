package dev.kiln.core.ops;

/** Celu: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)) (alpha 1 by default). */
public final class Celu extends UnaryElementwiseOp {
    private final float alpha;

    public Celu() {
        this(1f);
    }

    private Celu(float alpha) {
        this.alpha = alpha;
    }

    @Override
    public int opcode() {
        return 120;
    }

    @Override
    public int minOpset() {
        return 12;
    }

    @Override
    protected UnaryElementwiseOp configure(OpContext ctx) {
        float a = ctx.attrs().getFloat("alpha", 1f);
        if (a == 0) {
            throw ctx.error("attribute alpha must not be 0");
        }
        return new Celu(a);
    }

    @Override
    protected double apply(double x) {
        return Math.max(0, x) + Math.min(0, alpha * Math.expm1(x / alpha));
    }
}
