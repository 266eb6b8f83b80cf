package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.norm.ReduceKernels;
import dev.kiln.runtime.ops.norm.Reduction;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * MeanVarianceNormalization: {@code y = (x - mean) / (sqrt(var) + 1e-9)} with mean and variance
 * taken over {@code axes} (default [0, 2, 3]), as in the operator's function definition.
 */
public final class MeanVarianceNormalization extends Op {
    private static final double EPSILON = 1e-9;
    private static final long[] DEFAULT_AXES = {0, 2, 3};

    @Override
    public int opcode() {
        return 140;
    }

    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && !t.isFloatingPoint()) {
            throw ctx.error("expects a floating-point input, found " + t);
        }
        int[] shape = ctx.inputShape(0);
        if (shape != null) {
            try {
                Reduction.axesMask(ctx.attrs().getInts("axes", DEFAULT_AXES), shape.length);
            } catch (IllegalArgumentException e) {
                throw ctx.error(e.getMessage());
            }
        }
        Infer.sameAsInput(ctx, 0, 0);
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        final long[] axes = ctx.attrs().getInts("axes", DEFAULT_AXES);
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
