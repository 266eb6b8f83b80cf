package dev.kiln.core.ops;

/** Sin: sine. */
public final class Sin extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 125;
    }

    @Override
    public int minOpset() {
        return 7;
    }

    @Override
    protected double apply(double x) {
        return Math.sin(x);
    }
}
