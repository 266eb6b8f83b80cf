package dev.kiln.core.ops;

/** Asin: arcsine (NaN outside [-1, 1]). */
public final class Asin extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 128;
    }

    @Override
    public int minOpset() {
        return 7;
    }

    @Override
    protected double apply(double x) {
        return Math.asin(x);
    }
}
