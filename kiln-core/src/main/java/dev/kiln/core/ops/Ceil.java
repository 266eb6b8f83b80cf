package dev.kiln.core.ops;

/** Ceil: smallest integer not below x. */
public final class Ceil extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 32;
    }

    @Override
    protected double apply(double x) {
        return Math.ceil(x);
    }
}
