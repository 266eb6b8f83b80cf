package dev.kiln.core.ops;

/** Atan: arctangent. */
public final class Atan extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 130;
    }

    @Override
    public int minOpset() {
        return 7;
    }

    @Override
    protected double apply(double x) {
        return Math.atan(x);
    }
}
