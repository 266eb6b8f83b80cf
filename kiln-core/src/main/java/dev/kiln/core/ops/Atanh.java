package dev.kiln.core.ops;

/** Atanh: inverse hyperbolic tangent (NaN outside [-1, 1]). */
public final class Atanh extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 135;
    }

    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    protected double apply(double x) {
        return ElementwiseMath.atanh(x);
    }
}
