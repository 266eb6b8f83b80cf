package dev.kiln.core.ops;

/** Softplus: log(1 + exp(x)), computed without overflow. */
public final class Softplus extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 19;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    protected double apply(double x) {
        return ElementwiseMath.softplus(x);
    }
}
