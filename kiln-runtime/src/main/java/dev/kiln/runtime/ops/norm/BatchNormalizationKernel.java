package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * BatchNormalization in inference mode: {@code y = (x - mean) / sqrt(var + epsilon) * scale + B}
 * with per-channel statistics (channel = axis 1). Folded per channel into {@code y = x * a + b}.
 *
 * <p>Opsets 7-8 have the {@code spatial} attribute: with spatial = 0 the parameters hold one value
 * per element of a sample ({@code C x D1 x ... x Dn}). Training mode (training_mode = 1 from
 * opset 14, or the running-statistics outputs requested before it) is not supported, as in ONNX
 * Runtime's inference build. From opset 15 the parameters may have another float type than x.
 */
public final class BatchNormalizationKernel extends NamedFactory {
    public static final BatchNormalizationKernel INSTANCE = new BatchNormalizationKernel();

    private BatchNormalizationKernel() {
        super("BatchNormalization", 5);
    }

    /**
     * Fails when the node asks for training mode: training_mode = 1 (from opset 14), or the
     * running-statistics outputs (opsets 7-13, and before 7 together with is_test = 0).
     */
    public static void checkInference(KernelContext ctx) {
        if (ctx.opset() >= 14) {
            if (ctx.attrs().getInt("training_mode", 0) != 0) {
                throw ctx.error("training_mode = 1 is not supported: Kiln runs BatchNormalization in inference mode"
                        + " only (export the model in eval mode)");
            }
        } else {
            if (ctx.opset() < 7 && ctx.attrs().getInt("is_test", 0) == 0 && extraOutputs(ctx)) {
                throw ctx.error("is_test = 0 (training) is not supported: Kiln runs BatchNormalization in inference"
                        + " mode only");
            }
            if (ctx.opset() >= 7 && extraOutputs(ctx)) {
                throw ctx.error("the running mean/variance outputs mean training mode, which is not supported:"
                        + " Kiln runs BatchNormalization in inference mode only (export the model in eval mode)");
            }
        }
    }

    private static boolean extraOutputs(KernelContext ctx) {
        for (int i = 1; i < ctx.outputCount(); i++) {
            if (ctx.hasOutput(i)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        checkInference(ctx);
        final double eps = ctx.attrs().getFloat("epsilon", 1e-5f);
        final boolean spatial = ctx.opset() >= 9 || ctx.attrs().getInt("spatial", 1) != 0;
        for (int i = 1; i < 5; i++) {
            if (!ctx.hasInput(i)) {
                throw ctx.error("input " + i + " (scale, B, mean, var) is required");
            }
        }
        return (in, ec) -> {
            Tensor x = in[0];
            if (!x.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("BatchNormalization expects a floating-point input, found " + x.dtype());
            }
            if (x.rank() < 2) {
                throw new IllegalArgumentException("BatchNormalization input must have rank >= 2, found "
                        + Shapes.toString(x.shape()));
            }
            int n = x.dim(0), c = x.dim(1);
            int s = Shapes.product(x.shape(), 2, x.rank());
            int per = perElementOrChannel(in, c, s, spatial);
            int pc = per == 1 ? c : c * s;
            double[] a = new double[pc];
            double[] b = new double[pc];
            for (int i = 0; i < pc; i++) {
                double inv = 1.0 / Math.sqrt(in[4].getDouble(i) + eps);
                a[i] = in[1].getDouble(i) * inv;
                b[i] = in[2].getDouble(i) - in[3].getDouble(i) * a[i];
            }
            Tensor out = Tensor.allocate(x.dtype(), x.shape());
            int planes = n * c;
            if (x.dtype() == DType.DOUBLE) {
                double[] xv = x.doubles(), yv = out.doubles();
                for (int p = 0; p < planes; p++) {
                    int ch = p % c, base = p * s;
                    for (int i = 0; i < s; i++) {
                        int k = per == 1 ? ch : ch * s + i;
                        yv[base + i] = xv[base + i] * a[k] + b[k];
                    }
                }
                return new Tensor[] {out};
            }
            float[] xv = x.floats();
            float[] yv = x.dtype() == DType.FLOAT ? out.floats() : new float[x.size()];
            float[] af = toFloats(a), bf = toFloats(b);
            ec.parallel().forRange(planes, ReduceKernels.grain(s), (from, to) -> {
                for (int p = from; p < to; p++) {
                    int ch = p % c, base = p * s;
                    if (per == 1) {
                        float ca = af[ch], cb = bf[ch];
                        for (int i = base, end = base + s; i < end; i++) yv[i] = xv[i] * ca + cb;
                    } else {
                        int off = ch * s - base;
                        for (int i = base, end = base + s; i < end; i++) yv[i] = xv[i] * af[i + off] + bf[i + off];
                    }
                }
            });
            if (x.dtype() != DType.FLOAT) {
                for (int i = 0; i < yv.length; i++) out.setDouble(i, yv[i]);
            }
            return new Tensor[] {out};
        };
    }

    /** 1 when the parameters are per channel, s when per element of a sample (spatial = 0). */
    private static int perElementOrChannel(Tensor[] in, int c, int s, boolean spatial) {
        int size = in[1].size();
        for (int i = 2; i < 5; i++) {
            if (in[i].size() != size) {
                throw new IllegalArgumentException("BatchNormalization parameters differ in size: scale has " + size
                        + " elements, input " + i + " has " + in[i].size());
            }
        }
        if (!spatial && size == c * s) {
            return s == 0 ? 1 : s;
        }
        if (size == c) {
            return 1;
        }
        throw new IllegalArgumentException("BatchNormalization parameters have " + size + " elements; expected "
                + c + " (one per channel)" + (spatial ? "" : " or " + (c * s) + " (spatial = 0)"));
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
