package dev.kiln.core.ops;

/** Acosh: inverse hyperbolic cosine (NaN below 1). */
public final class Acosh extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 134;
    }

    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    protected double apply(double x) {
        return ElementwiseMath.acosh(x);
    }
}
