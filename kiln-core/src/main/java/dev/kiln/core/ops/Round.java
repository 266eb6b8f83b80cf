package dev.kiln.core.ops;

/** Round: to the nearest integer, halves to even. */
public final class Round extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 33;
    }

    @Override
    public int minOpset() {
        return 11;
    }

    @Override
    protected double apply(double x) {
        return Math.rint(x);
    }
}
