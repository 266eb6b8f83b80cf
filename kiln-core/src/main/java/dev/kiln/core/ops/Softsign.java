package dev.kiln.core.ops;

/** Softsign: x / (1 + |x|). */
public final class Softsign extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 20;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    protected double apply(double x) {
        return x / (1 + Math.abs(x));
    }
}
