package dev.kiln.core.ops;

/** Sqrt: square root (NaN below 0). */
public final class Sqrt extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 26;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    protected double apply(double x) {
        return Math.sqrt(x);
    }
}
