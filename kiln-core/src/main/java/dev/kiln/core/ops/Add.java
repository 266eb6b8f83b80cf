package dev.kiln.core.ops;

/** Add: a + b with numpy broadcasting. */
public final class Add extends BinaryElementwiseOp {
    @Override
    public int opcode() {
        return 35;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }

    @Override
    protected double apply(double a, double b) {
        return a + b;
    }

    @Override
    protected float applyFloat(float a, float b) {
        return a + b;
    }

    @Override
    protected long applyLong(long a, long b) {
        return a + b;
    }
}
