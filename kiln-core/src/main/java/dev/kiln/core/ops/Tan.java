package dev.kiln.core.ops;

/** Tan: tangent. */
public final class Tan extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 127;
    }

    @Override
    public int minOpset() {
        return 7;
    }

    @Override
    protected double apply(double x) {
        return Math.tan(x);
    }
}
