package dev.kiln.core.ops;

/** Cos: cosine. */
public final class Cos extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 126;
    }

    @Override
    public int minOpset() {
        return 7;
    }

    @Override
    protected double apply(double x) {
        return Math.cos(x);
    }
}
