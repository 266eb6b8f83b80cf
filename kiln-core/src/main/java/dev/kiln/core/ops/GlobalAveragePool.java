package dev.kiln.core.ops;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/** GlobalAveragePool: the mean of each (n, c) plane; the spatial axes of the output are all 1. */
public final class GlobalAveragePool extends Op {
    @Override
    public int opcode() {
        return 56;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, ctx.inputDtype(0), globalDims(ctx));
    }

    /** [N, C, 1, ..., 1] with N and C (and their names) from the input; null for unknown rank. */
    static Dim[] globalDims(OpContext ctx) {
        Dim[] in = Infer.dims(ctx, 0);
        if (in == null) {
            return null;
        }
        if (in.length < 2) {
            throw ctx.error("input must have shape [N, C, ...], found rank " + in.length);
        }
        Dim[] out = in.clone();
        for (int i = 2; i < out.length; i++) {
            out[i] = Dim.of(1);
        }
        return out;
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
    public Kernel prepare(OpContext ctx) {
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
}
