package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.kernels.math.Activation;

/** HardSwish: x * max(0, min(1, x / 6 + 0.5)). */
public final class HardSwishKernel extends UnaryKernel {
    public static final HardSwishKernel INSTANCE = new HardSwishKernel();

    private HardSwishKernel() {
        super("HardSwish", 17);
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
