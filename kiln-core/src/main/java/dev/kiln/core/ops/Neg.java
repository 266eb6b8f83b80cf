package dev.kiln.core.ops;

import dev.kiln.runtime.tensor.DType;

/** Neg: -x, floats and signed integers (wrapping). */
public final class Neg extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 29;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
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
