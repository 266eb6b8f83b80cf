package dev.kiln.core.ops;

/** ThresholdedRelu: x where x &gt; alpha, else 0 (alpha 1 by default). */
public final class ThresholdedRelu extends UnaryElementwiseOp {
    private final float alpha;

    public ThresholdedRelu() {
        this(1f);
    }

    private ThresholdedRelu(float alpha) {
        this.alpha = alpha;
    }

    @Override
    public int opcode() {
        return 121;
    }

    @Override
    public int minOpset() {
        return 10;
    }

    @Override
    protected UnaryElementwiseOp configure(OpContext ctx) {
        return new ThresholdedRelu(ctx.attrs().getFloat("alpha", 1f));
    }

    @Override
    protected double apply(double x) {
        return x > alpha ? x : 0;
    }
}
