package dev.kiln.core.ops;

/**
 * Shrink: x + bias where x &lt; -lambd, x - bias where x &gt; lambd, else 0 (bias 0, lambd 0.5 by
 * default). Every numeric type; integer results are computed in floating point and truncated.
 */
public final class Shrink extends UnaryElementwiseOp {
    private final float bias;
    private final float lambd;

    public Shrink() {
        this(0f, 0.5f);
    }

    private Shrink(float bias, float lambd) {
        this.bias = bias;
        this.lambd = lambd;
    }

    @Override
    public int opcode() {
        return 122;
    }

    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    protected UnaryElementwiseOp configure(OpContext ctx) {
        return new Shrink(ctx.attrs().getFloat("bias", 0f), ctx.attrs().getFloat("lambd", 0.5f));
    }

    @Override
    protected double apply(double x) {
        return x < -lambd ? x + bias : (x > lambd ? x - bias : 0);
    }

    @Override
    protected float applyFloat(float x) {
        return x < -lambd ? x + bias : (x > lambd ? x - bias : 0f);
    }

    @Override
    protected boolean acceptsIntegers() {
        return true;
    }

    @Override
    protected long applyLong(long x) {
        return (long) apply(x);
    }

    @Override
    protected long applyUnsigned64(long x) {
        double v = x >= 0 ? x : (double) (x >>> 1) * 2.0;
        double r = apply(v);
        return r >= 0x1p63 ? (long) (r - 0x1p63) ^ Long.MIN_VALUE : (long) r;
    }
}
