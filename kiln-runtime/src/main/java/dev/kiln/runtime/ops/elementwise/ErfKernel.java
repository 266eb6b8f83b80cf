package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.kernels.math.FloatFunctions;

/** Erf: the Gauss error function; float32 through the runtime's vectorised erf (about 1 ulp). */
public final class ErfKernel extends UnaryKernel {
    public static final ErfKernel INSTANCE = new ErfKernel();

    private ErfKernel() {
        super("Erf", 21);
    }

    @Override
    protected double apply(double x) {
        return ElementwiseMath.erf(x);
    }

    @Override
    protected float applyFloat(float x) {
        return FloatFunctions.erf(x);
    }

    @Override
    protected void applyFloats(float[] x, float[] out, int from, int to) {
        FloatFunctions.erf(x, from, out, from, to - from);
    }
}
