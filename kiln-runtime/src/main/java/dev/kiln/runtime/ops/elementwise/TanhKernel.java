package dev.kiln.runtime.ops.elementwise;

/** Tanh: hyperbolic tangent. */
public final class TanhKernel extends UnaryKernel {
    public static final TanhKernel INSTANCE = new TanhKernel();

    private TanhKernel() {
        super("Tanh", 18);
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
