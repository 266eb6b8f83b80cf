package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Softmax, LogSoftmax and Hardmax. Before opset 13 the input is coerced to 2-D at {@code axis}
 * (default 1) and each row of {@code prod(shape[axis:])} elements is normalized; from opset 13 the
 * operation runs along the single axis {@code axis} (default -1). Softmax and LogSoftmax subtract
 * the maximum first; Hardmax marks the first maximum with 1.
 */
public final class SoftmaxKernel extends NamedFactory {
    enum Mode { SOFTMAX, LOG_SOFTMAX, HARDMAX }

    public static final SoftmaxKernel SOFTMAX = new SoftmaxKernel("Softmax", 59, Mode.SOFTMAX);
    public static final SoftmaxKernel LOG_SOFTMAX = new SoftmaxKernel("LogSoftmax", 60, Mode.LOG_SOFTMAX);
    public static final SoftmaxKernel HARDMAX = new SoftmaxKernel("Hardmax", 61, Mode.HARDMAX);

    /** Channels processed together when the normalized axis is not the innermost one. */
    private static final int CHUNK = 512;

    private final Mode mode;

    private SoftmaxKernel(String opType, int opcode, Mode mode) {
        super(opType, opcode);
        this.mode = mode;
    }

    /** The axis attribute, or its opset-dependent default (1 before opset 13, -1 from then on). */
    public static long axis(KernelContext ctx) {
        return ctx.attrs().getInt("axis", ctx.opset() < 13 ? 1 : -1);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        final long axisAttr = axis(ctx);
        final boolean coerce2d = ctx.opset() < 13;
        final Mode mode = this.mode;
        return (in, ec) -> {
            Tensor x = in[0];
            int[] s = x.shape();
            int axis = s.length == 0 ? 0 : Shapes.axis(axisAttr, s.length);
            int outer = Shapes.product(s, 0, Math.min(axis, s.length));
            int n, inner;
            if (s.length == 0) {
                n = 1;
                inner = 1;
            } else if (coerce2d) {
                n = Shapes.product(s, axis, s.length);
                inner = 1;
            } else {
                n = s[axis];
                inner = Shapes.product(s, axis + 1, s.length);
            }
            Tensor out = Tensor.allocate(x.dtype(), s);
            if (x.dtype() == DType.DOUBLE) {
                runDouble(x.doubles(), out.doubles(), outer, n, inner, mode);
            } else if (x.dtype().isFloatStorage()) {
                float[] o = x.dtype() == DType.FLOAT ? out.floats() : new float[x.size()];
                runFloat(x.floats(), o, outer, n, inner, mode, ec);
                if (x.dtype() != DType.FLOAT) {
                    for (int i = 0; i < o.length; i++) out.setDouble(i, o[i]);
                }
            } else {
                throw new IllegalArgumentException(opType() + " expects a floating-point input, found " + x.dtype());
            }
            return new Tensor[] {out};
        };
    }

    private static void runFloat(float[] x, float[] y, int outer, int n, int inner, Mode mode, ExecContext ec) {
        if (inner == 1) {
            ec.parallel().forRange(outer, ReduceKernels.grain(n), (from, to) -> {
                for (int r = from; r < to; r++) {
                    row(x, y, r * n, n, mode);
                }
            });
            return;
        }
        int chunks = (inner + CHUNK - 1) / CHUNK;
        ec.parallel().forRange(outer * chunks, ReduceKernels.grain(n * CHUNK), (from, to) -> {
            double[] max = new double[CHUNK];
            double[] sum = new double[CHUNK];
            for (int task = from; task < to; task++) {
                int o = task / chunks;
                int i0 = (task % chunks) * CHUNK;
                int len = Math.min(CHUNK, inner - i0);
                strided(x, y, o * n * inner + i0, n, inner, len, mode, max, sum);
            }
        });
    }

    /** One contiguous row of n elements starting at base. */
    private static void row(float[] x, float[] y, int base, int n, Mode mode) {
        int end = base + n;
        if (mode == Mode.HARDMAX) {
            int best = base;
            for (int i = base + 1; i < end; i++) {
                if (x[i] > x[best]) best = i;
            }
            for (int i = base; i < end; i++) y[i] = 0f;
            if (n > 0) y[best] = 1f;
            return;
        }
        float m = Float.NEGATIVE_INFINITY;
        for (int i = base; i < end; i++) m = Math.max(m, x[i]);
        // separate simple loops (exp, sum, scale) run markedly faster than one fused loop
        for (int i = base; i < end; i++) y[i] = (float) Math.exp(x[i] - m);
        double s = ReduceKernels.sum(y, base, n);
        if (mode == Mode.SOFTMAX) {
            float inv = (float) (1.0 / s);
            for (int i = base; i < end; i++) y[i] *= inv;
        } else {
            double shift = m + Math.log(s);
            for (int i = base; i < end; i++) y[i] = (float) (x[i] - shift);
        }
    }

    /** len interleaved rows of n elements, stride inner, starting at base (channels base..base+len). */
    private static void strided(float[] x, float[] y, int base, int n, int inner, int len, Mode mode,
                                double[] max, double[] sum) {
        if (mode == Mode.HARDMAX) {
            // reuse max as the best value and sum as the best index
            for (int j = 0; j < len; j++) {
                max[j] = x[base + j];
                sum[j] = 0;
            }
            for (int k = 1; k < n; k++) {
                int off = base + k * inner;
                for (int j = 0; j < len; j++) {
                    if (x[off + j] > max[j]) {
                        max[j] = x[off + j];
                        sum[j] = k;
                    }
                }
            }
            for (int k = 0; k < n; k++) {
                int off = base + k * inner;
                for (int j = 0; j < len; j++) y[off + j] = sum[j] == k ? 1f : 0f;
            }
            return;
        }
        for (int j = 0; j < len; j++) {
            max[j] = Double.NEGATIVE_INFINITY;
            sum[j] = 0;
        }
        for (int k = 0; k < n; k++) {
            int off = base + k * inner;
            for (int j = 0; j < len; j++) {
                double v = x[off + j];
                max[j] = v > max[j] ? v : (v != v ? v : max[j]);
            }
        }
        for (int k = 0; k < n; k++) {
            int off = base + k * inner;
            for (int j = 0; j < len; j++) {
                double e = Math.exp(x[off + j] - max[j]);
                sum[j] += e;
                if (mode == Mode.SOFTMAX) y[off + j] = (float) e;
            }
        }
        for (int j = 0; j < len; j++) {
            sum[j] = mode == Mode.SOFTMAX ? 1.0 / sum[j] : max[j] + Math.log(sum[j]);
        }
        for (int k = 0; k < n; k++) {
            int off = base + k * inner;
            if (mode == Mode.SOFTMAX) {
                for (int j = 0; j < len; j++) y[off + j] = (float) (y[off + j] * sum[j]);
            } else {
                for (int j = 0; j < len; j++) y[off + j] = (float) (x[off + j] - sum[j]);
            }
        }
    }

    /** Double inputs: a plain reference loop. */
    private static void runDouble(double[] x, double[] y, int outer, int n, int inner, Mode mode) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * n * inner + j;
                double m = Double.NEGATIVE_INFINITY;
                int best = 0;
                for (int k = 0; k < n; k++) {
                    double v = x[base + k * inner];
                    if (v > m || (v != v && m == m)) {
                        m = v;
                        best = k;
                    }
                }
                if (mode == Mode.HARDMAX) {
                    for (int k = 0; k < n; k++) y[base + k * inner] = k == best ? 1 : 0;
                    continue;
                }
                double s = 0;
                for (int k = 0; k < n; k++) s += Math.exp(x[base + k * inner] - m);
                double shift = m + Math.log(s);
                for (int k = 0; k < n; k++) {
                    double v = x[base + k * inner];
                    y[base + k * inner] = mode == Mode.SOFTMAX ? Math.exp(v - m) / s : v - shift;
                }
            }
        }
    }
}
