package dev.kiln.core.ops;

import dev.kiln.runtime.kernels.math.Activation;

/** HardSwish: x * max(0, min(1, x / 6 + 0.5)). */
public final class HardSwish extends UnaryElementwiseOp {
    @Override
    public int opcode() {
        return 17;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    public int minOpset() {
        return 14;
    }

    @Override
    protected double apply(double x) {
        return x * Math.max(0, Math.min(1, x / 6 + 0.5));
    }

    @Override
    protected float applyFloat(float x) {
        return Activation.hardSwish(x);
    }

    @Override
    protected void applyFloats(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = Activation.hardSwish(x[i]);
        }
    }
}
