package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Shape: the input's dimensions as a 1-D int64 tensor; from opset 15 only dims [start, end)
 * (negative values count from the end, both clamped to [0, rank]).
 */
public final class ShapeKernel extends NamedFactory {
    public static final ShapeKernel INSTANCE = new ShapeKernel();

    private ShapeKernel() {
        super("Shape", 94);
    }

    /** The start and end attributes (opset 15); Long.MAX_VALUE stands for "to the last dim". */
    public static long[] bounds(KernelContext ctx) {
        if (ctx.opset() < 15) {
            return new long[] {0, Long.MAX_VALUE};
        }
        return new long[] {ctx.attrs().getInt("start", 0), ctx.attrs().getInt("end", Long.MAX_VALUE)};
    }

    /** {start, end} of the dims to report, clamped to [0, rank]. */
    public static int[] range(long[] bounds, int rank) {
        int s = clamp(bounds[0] < 0 ? bounds[0] + rank : bounds[0], rank);
        int e = clamp(bounds[1] < 0 ? bounds[1] + rank : bounds[1], rank);
        return new int[] {s, Math.max(s, e)};
    }

    private static int clamp(long v, int rank) {
        return (int) Math.max(0, Math.min(rank, v));
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        long[] bounds = bounds(ctx);
        return (in, ec) -> {
            int[] shape = in[0].shape();
            int[] r = range(bounds, shape.length);
            long[] v = new long[r[1] - r[0]];
            for (int i = 0; i < v.length; i++) {
                v[i] = shape[r[0] + i];
            }
            return new Tensor[] {Tensor.vector(v)};
        };
    }
}
