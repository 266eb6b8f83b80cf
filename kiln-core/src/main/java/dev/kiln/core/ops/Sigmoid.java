package dev.kiln.core.ops;

/** Sigmoid: 1 / (1 + exp(-x)). */
public final class Sigmoid extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 15;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    protected double apply(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Override
    protected void applyFloats(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = (float) (1 / (1 + Math.exp(-x[i])));
    }
}
