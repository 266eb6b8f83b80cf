package dev.kiln.core.ops;

/** Log: natural logarithm (NaN below 0, -inf at 0). */
public final class Log extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 25;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    protected double apply(double x) {
        return Math.log(x);
    }
}
