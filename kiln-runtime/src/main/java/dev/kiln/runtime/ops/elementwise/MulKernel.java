package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.IntegerParams;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.quant.IntBinary;

/** Mul: a * b with numpy broadcasting. */
public final class MulKernel extends BinaryKernel {
    public static final MulKernel INSTANCE = new MulKernel();

    private MulKernel() {
        super("Mul", 37);
    }

    @Override
    protected double apply(double a, double b) {
        return a * b;
    }

    @Override
    protected float applyFloat(float a, float b) {
        return a * b;
    }

    @Override
    protected void applyFloats(float[] x, int a, int sa, float[] y, int b, int sb, float[] out, int o, int n) {
        if (sa == sb) {
            for (int k = 0; k < n; k++) out[o + k] = x[a + k] * y[b + k];
        } else if (sb == 0) {
            float c = y[b];
            for (int k = 0; k < n; k++) out[o + k] = x[a + k] * c;
        } else {
            float c = x[a];
            for (int k = 0; k < n; k++) out[o + k] = c * y[b + k];
        }
    }

    @Override
    protected long applyLong(long a, long b) {
        return a * b;
    }

    @Override
    public Kernel prepareInteger(KernelContext ctx, IntegerParams q) {
        Kernel k = IntegerBinary.prepare(ctx, q, IntBinary.Kind.MUL);
        return k != null ? k : super.prepareInteger(ctx, q);
    }
}
