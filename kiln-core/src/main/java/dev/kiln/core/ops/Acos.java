package dev.kiln.core.ops;

/** Acos: arccosine (NaN outside [-1, 1]). */
public final class Acos extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 129;
    }

    @Override
    public int minOpset() {
        return 7;
    }

    @Override
    protected double apply(double x) {
        return Math.acos(x);
    }
}
