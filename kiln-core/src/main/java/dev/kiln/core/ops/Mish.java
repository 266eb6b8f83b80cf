package dev.kiln.core.ops;

/** Mish: x * tanh(softplus(x)). */
public final class Mish extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 23;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    public int minOpset() {
        return 18;
    }

    @Override
    protected double apply(double x) {
        return x * ElementwiseMath.tanh(ElementwiseMath.softplus(x));
    }
}
