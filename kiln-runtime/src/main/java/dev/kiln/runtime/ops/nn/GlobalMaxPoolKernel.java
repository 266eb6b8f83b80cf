package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/** GlobalMaxPool: the maximum of each (n, c) plane; the spatial axes of the output are all 1. */
public final class GlobalMaxPoolKernel extends NamedFactory {
    public static final GlobalMaxPoolKernel INSTANCE = new GlobalMaxPoolKernel();

    private GlobalMaxPoolKernel() {
        super("GlobalMaxPool", 57);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        return (in, ec) -> new Tensor[] {run(in[0], ec)};
    }

    private static Tensor run(Tensor x, ExecContext ec) {
        DType t = x.dtype();
        if (!t.isFloatingPoint()) {
            throw new IllegalArgumentException("GlobalMaxPool accepts float types only, not " + t);
        }
        int[] outShape = GlobalAveragePoolKernel.globalShape(x);
        int planes = outShape[0] * outShape[1];
        int plane = planes == 0 ? 0 : x.size() / planes;
        int grain = Math.max(1, (1 << 16) / Math.max(1, plane));
        if (t == DType.DOUBLE) {
            double[] xs = x.doubles();
            double[] ys = new double[planes];
            ec.parallel().forRange(planes, grain, (from, to) -> {
                for (int p = from; p < to; p++) {
                    double m = plane == 0 ? -Double.MAX_VALUE : xs[p * plane];
                    for (int i = p * plane + 1, e = p * plane + plane; i < e; i++) {
                        if (xs[i] > m) m = xs[i];
                    }
                    ys[p] = m;
                }
            });
            return Tensor.wrap(t, outShape, ys);
        }
        float[] xs = x.floats();
        float[] ys = new float[planes];
        ec.parallel().forRange(planes, grain, (from, to) -> {
            for (int p = from; p < to; p++) {
                float m = plane == 0 ? -Float.MAX_VALUE : xs[p * plane];
                for (int i = p * plane + 1, e = p * plane + plane; i < e; i++) {
                    if (xs[i] > m) m = xs[i];
                }
                ys[p] = m;
            }
        });
        return PoolKernels.fromFloats(t, ys, outShape);
    }
}
