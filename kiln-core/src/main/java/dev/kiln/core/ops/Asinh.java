package dev.kiln.core.ops;

/** Asinh: inverse hyperbolic sine. */
public final class Asinh extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 133;
    }

    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    protected double apply(double x) {
        return ElementwiseMath.asinh(x);
    }
}
