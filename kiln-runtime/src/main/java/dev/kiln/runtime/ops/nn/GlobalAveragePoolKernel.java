package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.kernels.pool.ByteSums;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.IntegerParams;
import dev.kiln.runtime.ops.IntegerSupport;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/** GlobalAveragePool: the mean of each (n, c) plane; the spatial axes of the output are all 1. */
public final class GlobalAveragePoolKernel extends NamedFactory {
    public static final GlobalAveragePoolKernel INSTANCE = new GlobalAveragePoolKernel();

    private GlobalAveragePoolKernel() {
        super("GlobalAveragePool", 56);
    }

    static int[] globalShape(Tensor x) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("input must have shape [N, C, ...], found rank " + x.rank());
        }
        int[] out = x.shape().clone();
        for (int i = 2; i < out.length; i++) {
            out[i] = 1;
        }
        return out;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        return (in, ec) -> new Tensor[] {run(in[0], ec)};
    }

    private static Tensor run(Tensor x, ExecContext ec) {
        DType t = x.dtype();
        if (!t.isFloatingPoint()) {
            throw new IllegalArgumentException("GlobalAveragePool accepts float types only, not " + t);
        }
        int[] outShape = globalShape(x);
        int planes = outShape[0] * outShape[1];
        int plane = planes == 0 ? 0 : x.size() / planes;
        int grain = Math.max(1, (1 << 16) / Math.max(1, plane));
        if (t == DType.DOUBLE) {
            double[] xs = x.doubles();
            double[] ys = new double[planes];
            ec.parallel().forRange(planes, grain, (from, to) -> {
                for (int p = from; p < to; p++) {
                    double s = 0;
                    for (int i = p * plane, e = i + plane; i < e; i++) s += xs[i];
                    ys[p] = s / plane;
                }
            });
            return Tensor.wrap(t, outShape, ys);
        }
        float[] xs = x.floats();
        float[] ys = new float[planes];
        ec.parallel().forRange(planes, grain, (from, to) -> {
            for (int p = from; p < to; p++) {
                double s = 0;
                for (int i = p * plane, e = i + plane; i < e; i++) s += xs[i];
                ys[p] = (float) (s / plane);
            }
        });
        return PoolKernels.fromFloats(t, ys, outShape);
    }

    /**
     * Integer GlobalAveragePool: int32 sum of each plane, then {@code roundClamp((float) sum * M)}
     * with {@code M = (s_x / s_y) / count} in float32.
     */
    @Override
    public Kernel prepareInteger(KernelContext ctx, IntegerParams q) {
        if (!q.isQuantizedInput(0)) {
            return null;
        }
        float ratio = q.inputScale(0) / q.outputScale(0);
        DType outType = q.outputType(0);
        int lo = q.lo(0);
        int hi = q.hi(0);
        return (in, ec) -> {
            Tensor x = in[0];
            if (x.rank() < 3) {
                throw new IllegalArgumentException("GlobalAveragePool needs [N, C, spatial...], found rank " + x.rank());
            }
            int[] shape = x.shape().clone();
            int plane = 1;
            for (int i = 2; i < shape.length; i++) {
                plane *= shape[i];
                shape[i] = 1;
            }
            Tensor y = Tensor.allocateForOverwrite(outType, shape);
            float m = ratio / plane;
            int planes = shape[0] * shape[1];
            int p = plane;
            byte[] xb = IntegerSupport.bytesOrNull(x);
            short[] xs = IntegerSupport.shortsOrNull(x);
            byte[] yb = IntegerSupport.bytesOrNull(y);
            short[] ys = IntegerSupport.shortsOrNull(y);
            ec.parallel().forRange(planes, 16, (from, to) -> {
                for (int c = from; c < to; c++) {
                    int sum = 0;
                    if (xb != null) {
                        sum = ByteSums.sum(xb, c * p, p);
                    } else {
                        for (int i = c * p, e = i + p; i < e; i++) sum += xs[i];
                    }
                    int v = QuantMath.roundClamp((float) sum * m, lo, hi);
                    if (yb != null) {
                        yb[c] = (byte) v;
                    } else {
                        ys[c] = (short) v;
                    }
                }
            });
            return new Tensor[] {y};
        };
    }
}
