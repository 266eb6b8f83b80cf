package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * MeanVarianceNormalization: {@code y = (x - mean) / (sqrt(var) + 1e-9)} with mean and variance
 * taken over {@code axes} (default [0, 2, 3]), as in the operator's function definition.
 */
public final class MeanVarianceNormalizationKernel extends NamedFactory {
    public static final MeanVarianceNormalizationKernel INSTANCE = new MeanVarianceNormalizationKernel();

    private static final double EPSILON = 1e-9;
    private static final long[] DEFAULT_AXES = {0, 2, 3};

    private MeanVarianceNormalizationKernel() {
        super("MeanVarianceNormalization", 140);
    }

    /** The axes attribute, [0, 2, 3] by default. */
    public static long[] axes(KernelContext ctx) {
        return ctx.attrs().getInts("axes", DEFAULT_AXES);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        final long[] axes = axes(ctx);
        return (in, ec) -> {
            Tensor x = in[0];
            Reduction r = Reduction.planContiguous(x.shape(), Reduction.axesMask(axes, x.rank()));
            Tensor a = r.arrange(x);
            int rows = r.outer(), count = r.count();
            Tensor y = Tensor.allocate(x.dtype(), a.shape());
            if (x.dtype() == DType.DOUBLE) {
                double[] xv = a.doubles(), yv = y.doubles();
                double[][] m = ReduceKernels.moments(xv, rows, count);
                for (int k = 0; k < rows; k++) {
                    double mean = m[0][k], div = Math.sqrt(m[1][k]) + EPSILON;
                    for (int i = k * count, end = i + count; i < end; i++) yv[i] = (xv[i] - mean) / div;
                }
            } else {
                float[] xv = a.floats();
                float[] yv = x.dtype() == DType.FLOAT ? y.floats() : new float[x.size()];
                double[][] m = ReduceKernels.moments(xv, rows, count, ec);
                ec.parallel().forRange(rows, ReduceKernels.grain(count), (from, to) -> {
                    for (int k = from; k < to; k++) {
                        float mean = (float) m[0][k];
                        float div = (float) (Math.sqrt(m[1][k]) + EPSILON);
                        for (int i = k * count, end = i + count; i < end; i++) yv[i] = (xv[i] - mean) / div;
                    }
                });
                if (x.dtype() != DType.FLOAT) {
                    for (int i = 0; i < yv.length; i++) y.setDouble(i, yv[i]);
                }
            }
            return new Tensor[] {r.restore(y)};
        };
    }
}
