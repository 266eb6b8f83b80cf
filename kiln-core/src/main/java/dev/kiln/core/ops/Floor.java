package dev.kiln.core.ops;

/** Floor: largest integer not above x. */
public final class Floor extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 31;
    }

    @Override
    protected double apply(double x) {
        return Math.floor(x);
    }
}
