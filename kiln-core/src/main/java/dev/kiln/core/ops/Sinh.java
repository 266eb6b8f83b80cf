package dev.kiln.core.ops;

/** Sinh: hyperbolic sine. */
public final class Sinh extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 131;
    }

    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    protected double apply(double x) {
        return Math.sinh(x);
    }
}
