package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * PRelu: x where x &gt; 0, else slope * x; the slope broadcasts to x (unidirectionally from opset 7;
 * like ONNX Runtime, any numpy-compatible slope is accepted). Opset 1-6 took a 1-D slope per
 * channel (axis 1).
 */
public final class PReluKernel extends BinaryKernel {
    public static final PReluKernel INSTANCE = new PReluKernel();

    private PReluKernel() {
        super("PRelu", 11);
    }

    @Override
    protected boolean accepts(DType t) {
        return t.isFloatingPoint() || t == DType.INT32 || t == DType.INT64 || t == DType.UINT32 || t == DType.UINT64;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        Kernel k = super.prepare(ctx);
        if (ctx.opset() >= 7) {
            return k;
        }
        return (in, ec) -> k.run(new Tensor[] {in[0], in[1].reshape(legacySlopeShape(in[0].shape(), in[1].shape()))}, ec);
    }

    /** Opset 1-6: a 1-D slope of length C (C != 1) applies along axis 1. */
    public static int[] legacySlopeShape(int[] x, int[] s) {
        if (s.length == 1 && s[0] != 1 && x.length >= 2) {
            return Elementwise.legacyShape(s, x.length, 1);
        }
        return s;
    }

    @Override
    protected double apply(double a, double b) {
        return a > 0 ? a : a * b;
    }

    @Override
    protected float applyFloat(float a, float b) {
        return a > 0 ? a : a * b;
    }

    @Override
    protected void applyFloats(float[] x, int a, int sa, float[] y, int b, int sb, float[] out, int o, int n) {
        // branch-free (max/min vectorise, a select does not): exactly x for x > 0 and slope * x below
        if (sa == sb) {
            for (int k = 0; k < n; k++) out[o + k] = Math.max(x[a + k], 0f) + y[b + k] * Math.min(x[a + k], 0f);
        } else if (sb == 0) {
            float s = y[b];
            for (int k = 0; k < n; k++) out[o + k] = Math.max(x[a + k], 0f) + s * Math.min(x[a + k], 0f);
        } else {
            float v = x[a];
            for (int k = 0; k < n; k++) out[o + k] = v > 0 ? v : v * y[b + k];
        }
    }

    @Override
    protected long applyLong(long a, long b) {
        return a > 0 ? a : a * b;
    }

    @Override
    protected long applyUnsigned64(long a, long b) {
        return a;
    }
}
