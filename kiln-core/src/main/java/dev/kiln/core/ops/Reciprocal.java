package dev.kiln.core.ops;

/** Reciprocal: 1 / x. */
public final class Reciprocal extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 30;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    protected double apply(double x) {
        return 1 / x;
    }
}
