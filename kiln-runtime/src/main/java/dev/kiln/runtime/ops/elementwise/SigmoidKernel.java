package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.kernels.math.FloatFunctions;

/** Sigmoid: 1 / (1 + exp(-x)); float32 through the runtime's vectorised exp (about 1 ulp). */
public final class SigmoidKernel extends UnaryKernel {
    public static final SigmoidKernel INSTANCE = new SigmoidKernel();

    private SigmoidKernel() {
        super("Sigmoid", 15);
    }

    @Override
    protected double apply(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Override
    protected float applyFloat(float x) {
        return FloatFunctions.sigmoid(x);
    }

    @Override
    protected void applyFloats(float[] x, float[] out, int from, int to) {
        FloatFunctions.sigmoid(x, from, out, from, to - from);
    }
}
