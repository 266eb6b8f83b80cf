package dev.kiln.core.ops;

/** Erf: the Gauss error function. */
public final class Erf extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 21;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    protected double apply(double x) {
        return ElementwiseMath.erf(x);
    }
}
