package dev.kiln.core.ops;

/** Sum: elementwise sum of any number of inputs with numpy broadcasting. */
public final class Sum extends BinaryElementwiseOp {
    private static final Add ADD = new Add();

    @Override
    public int opcode() {
        return 42;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }

    @Override
    protected boolean variadic() {
        return true;
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
    protected void applyFloats(float[] x, int a, int sa, float[] y, int b, int sb, float[] out, int o, int n) {
        ADD.applyFloats(x, a, sa, y, b, sb, out, o, n);
    }

    @Override
    protected long applyLong(long a, long b) {
        return a + b;
    }
}
