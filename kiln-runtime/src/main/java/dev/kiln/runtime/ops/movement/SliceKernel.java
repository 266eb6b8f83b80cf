package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Slice: numpy-style basic slicing. Opsets 1-9 take starts, ends and axes as attributes; from
 * opset 10 they are inputs, with optional steps (negative steps walk backwards). Negative starts
 * and ends count from the end of the dim; both are clamped, so INT64_MAX means "to the end".
 */
public final class SliceKernel extends NamedFactory {
    public static final SliceKernel INSTANCE = new SliceKernel();

    private SliceKernel() {
        super("Slice", 64);
    }

    /** The four lists (starts, ends, axes, steps); axes or steps null when absent. */
    public record Args(long[] starts, long[] ends, long[] axes, long[] steps) {
    }

    /**
     * First index and element count of start:end:step over a dim of the given size, with ONNX's
     * clamping (to [0, dim] for positive steps, [-1, dim - 1] for negative ones).
     */
    static long[] range(long start, long end, long step, long dim) {
        if (dim == 0) {
            return new long[] {0, 0};
        }
        if (start < 0) {
            start += dim;
        }
        if (end < 0) {
            end += dim;
        }
        long count;
        if (step > 0) {
            start = Math.max(0, Math.min(dim, start));
            end = Math.max(0, Math.min(dim, end));
            count = end > start ? (end - start - 1) / step + 1 : 0;
        } else {
            start = Math.max(0, Math.min(dim - 1, start));
            end = Math.max(-1, Math.min(dim - 1, end));
            long back = step == Long.MIN_VALUE ? Long.MAX_VALUE : -step;
            count = start > end ? (start - end - 1) / back + 1 : 0;
        }
        return new long[] {start, count};
    }

    /**
     * Per input dim {first, step, count}; where the dim is unknown (inference) count is -1, or -2
     * when the slice keeps the whole dim.
     */
    public static long[][] plan(Args a, int[] shape) {
        int rank = shape.length;
        int n = a.starts.length;
        if (a.ends.length != n || (a.axes != null && a.axes.length != n) || (a.steps != null && a.steps.length != n)) {
            throw new IllegalArgumentException("starts, ends, axes and steps must have the same length; found "
                    + n + ", " + a.ends.length + ", " + (a.axes == null ? "-" : a.axes.length) + ", "
                    + (a.steps == null ? "-" : a.steps.length));
        }
        int[] axes = new int[n];
        if (a.axes == null) {
            if (n > rank) {
                throw new IllegalArgumentException(n + " starts given for an input of rank " + rank);
            }
            for (int i = 0; i < n; i++) {
                axes[i] = i;
            }
        } else {
            axes = ShapeArgs.axes(a.axes, rank, "axes");
        }
        long[][] p = new long[rank][];
        for (int d = 0; d < rank; d++) {
            p[d] = new long[] {0, 1, shape[d]};
        }
        for (int i = 0; i < n; i++) {
            long step = a.steps == null ? 1 : a.steps[i];
            if (step == 0) {
                throw new IllegalArgumentException("steps must not be 0");
            }
            int d = axes[i];
            if (shape[d] < 0) {
                boolean whole = step == 1 && a.starts[i] == 0 && a.ends[i] >= Integer.MAX_VALUE;
                p[d] = new long[] {0, step, whole ? -2 : -1};
            } else {
                long[] r = range(a.starts[i], a.ends[i], step, shape[d]);
                p[d] = new long[] {r[0], step, r[1]};
            }
        }
        return p;
    }

    /** An optional list input: null when absent. */
    public static long[] ints(Tensor t, String what) {
        return t == null ? null : ShapeArgs.longs(t, what);
    }

    /** The lists given as attributes (opsets before 10). */
    public static Args attributes(KernelContext ctx) {
        long[] starts = ctx.attrs().getInts("starts", null);
        long[] ends = ctx.attrs().getInts("ends", null);
        if (starts == null || ends == null) {
            throw ctx.error("needs the starts and ends attributes at opset " + ctx.opset());
        }
        return new Args(starts, ends, ctx.attrs().getInts("axes", null), null);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        Args fixed = ctx.opset() < 10 ? attributes(ctx) : null;
        return (in, ec) -> {
            Args a = fixed != null ? fixed : new Args(ints(in[1], "starts"), ints(in[2], "ends"),
                    in.length > 3 ? ints(in[3], "axes") : null, in.length > 4 ? ints(in[4], "steps") : null);
            Tensor x = in[0];
            int[] shape = x.shape();
            long[][] p = plan(a, shape);
            int[] st = Shapes.strides(shape);
            int[] outShape = new int[shape.length];
            int[] outStrides = new int[shape.length];
            int offset = 0;
            boolean empty = false;
            for (int d = 0; d < shape.length; d++) {
                outShape[d] = (int) p[d][2];
                empty |= outShape[d] == 0;
                offset += (int) p[d][0] * st[d];
                outStrides[d] = outShape[d] <= 1 ? 0 : (int) p[d][1] * st[d];
            }
            if (empty) {
                return new Tensor[] {Tensor.allocate(x.dtype(), outShape)};
            }
            return new Tensor[] {Movement.strided(x, offset, outShape, outStrides, ec.parallel())};
        };
    }
}
