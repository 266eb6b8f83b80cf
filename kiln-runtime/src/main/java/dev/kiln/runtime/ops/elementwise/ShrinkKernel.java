package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.KernelContext;

/**
 * Shrink: x + bias where x &lt; -lambd, x - bias where x &gt; lambd, else 0 (bias 0, lambd 0.5 by
 * default). Every numeric type; integer results are computed in floating point and truncated.
 */
public final class ShrinkKernel extends UnaryKernel {
    public static final ShrinkKernel INSTANCE = new ShrinkKernel();

    private final float bias;

    private final float lambd;

    private ShrinkKernel() {
        this(0f, 0.5f);
    }

    private ShrinkKernel(float bias, float lambd) {
        super("Shrink", 122);
        this.bias = bias;
        this.lambd = lambd;
    }

    @Override
    protected UnaryKernel configure(KernelContext ctx) {
        return new ShrinkKernel(ctx.attrs().getFloat("bias", 0f), ctx.attrs().getFloat("lambd", 0.5f));
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
