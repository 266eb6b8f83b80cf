package dev.kiln.core.ops;

/** Cosh: hyperbolic cosine. */
public final class Cosh extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 132;
    }

    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    protected double apply(double x) {
        return Math.cosh(x);
    }
}
