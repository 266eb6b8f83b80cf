package dev.kiln.core.ops;

/** Tanh: hyperbolic tangent. */
public final class Tanh extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 18;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    protected double apply(double x) {
        return ElementwiseMath.tanh(x);
    }

    @Override
    protected void applyFloats(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = (float) ElementwiseMath.tanh(x[i]);
    }
}
