package dev.kiln.core.ops;

import dev.kiln.runtime.kernels.math.FloatFunctions;

/** Erf: the Gauss error function; float32 through the runtime's vectorised erf (about 1 ulp). */
public final class Erf extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 21;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    public int minOpset() {
        return 9;
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
