package dev.kiln.core.ops;

/** Exp: e to the power x. */
public final class Exp extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 24;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    protected double apply(double x) {
        return Math.exp(x);
    }
}
