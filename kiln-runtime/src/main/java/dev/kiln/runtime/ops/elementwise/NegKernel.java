package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.tensor.DType;

/** Neg: -x, floats and signed integers (wrapping). */
public final class NegKernel extends UnaryKernel {
    public static final NegKernel INSTANCE = new NegKernel();

    private NegKernel() {
        super("Neg", 29);
    }

    @Override
    protected double apply(double x) {
        return -x;
    }

    @Override
    protected boolean acceptsIntegers() {
        return true;
    }

    @Override
    protected boolean accepts(DType t) {
        return t.isFloatingPoint() || (t.isInteger() && !t.isUnsigned());
    }

    @Override
    protected long applyLong(long x) {
        return -x;
    }
}
