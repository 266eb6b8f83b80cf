package dev.kiln.core.ops;

/** Elu: x where x &gt;= 0, else alpha * (exp(x) - 1) (alpha 1 by default). */
public final class Elu extends UnaryElementwiseOp {
    private final float alpha;

    public Elu() {
        this(1f);
    }

    private Elu(float alpha) {
        this.alpha = alpha;
    }

    @Override
    public int opcode() {
        return 12;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    protected UnaryElementwiseOp configure(OpContext ctx) {
        return new Elu(ctx.attrs().getFloat("alpha", 1f));
    }

    @Override
    protected double apply(double x) {
        return x >= 0 ? x : alpha * Math.expm1(x);
    }
}
