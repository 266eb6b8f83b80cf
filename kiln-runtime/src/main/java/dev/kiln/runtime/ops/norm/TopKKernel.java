package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * TopK: the k largest (or, from opset 11 with largest = 0, smallest) elements along {@code axis}
 * (default -1) and their int64 indices. k is an attribute before opset 10 and a one-element input
 * from then on. Equal values keep the lower index first, like ONNX Runtime; results are always
 * sorted (sorted = 0 leaves the order unspecified, so sorted order is valid).
 */
public final class TopKKernel extends NamedFactory {
    public static final TopKKernel INSTANCE = new TopKKernel();

    private TopKKernel() {
        super("TopK", 92);
    }

    /** The value of the K input: one non-negative element. */
    public static long kValue(Tensor k) {
        if (k.size() != 1) {
            throw new IllegalArgumentException("TopK k must have exactly one element, found shape "
                    + Shapes.toString(k.shape()));
        }
        long v = k.getLong(0);
        if (v < 0) {
            throw new IllegalArgumentException("TopK k must be non-negative, found " + v);
        }
        return v;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        final long axisAttr = ctx.attrs().getInt("axis", -1);
        final boolean largest = ctx.opset() < 11 || ctx.attrs().getInt("largest", 1) != 0;
        final boolean kFromInput = ctx.opset() >= 10;
        final long kAttr = ctx.attrs().getInt("k", -1);
        if (!kFromInput && kAttr < 0) {
            throw ctx.error("attribute k is required before opset 10");
        }
        if (kFromInput && !ctx.hasInput(1)) {
            throw ctx.error("input K is required from opset 10");
        }
        return (in, ec) -> {
            Tensor x = in[0];
            int axis = Shapes.axis(axisAttr, x.rank());
            long kl = kFromInput ? kValue(in[1]) : kAttr;
            int n = x.dim(axis);
            if (kl > n) {
                throw new IllegalArgumentException("TopK k = " + kl + " is larger than the axis dimension " + n);
            }
            int k = (int) kl;
            Reduction r = Reduction.alongAxis(x.shape(), axis);
            int inner = r.inner();
            int[] outShape = x.shape().clone();
            outShape[axis] = k;
            Tensor values = Tensor.allocate(x.dtype(), outShape);
            Tensor indices = Tensor.allocate(DType.INT64, outShape);
            long[] idxOut = indices.longs();
            boolean integer = !x.dtype().isFloatingPoint();
            boolean u64 = x.dtype() == DType.UINT64;
            int[] src = new int[values.size()];
            ec.parallel().forRange(r.outputSize(), ReduceKernels.grain(n * 8), (from, to) -> {
                int[] order = new int[n];
                int[] tmp = new int[n];
                double[] dv = integer ? null : new double[n];
                long[] lv = integer ? new long[n] : null;
                for (int o = from; o < to; o++) {
                    int ou = o / inner, oi = o % inner;
                    int base = ou * n * inner + oi;
                    for (int j = 0; j < n; j++) {
                        order[j] = j;
                        if (integer) {
                            long v = x.getLong(base + j * inner);
                            lv[j] = u64 ? v ^ Long.MIN_VALUE : v;
                        } else {
                            dv[j] = x.getDouble(base + j * inner);
                        }
                    }
                    sortIndices(order, tmp, 0, n, dv, lv, largest);
                    int outBase = ou * k * inner + oi;
                    for (int j = 0; j < k; j++) {
                        idxOut[outBase + j * inner] = order[j];
                        src[outBase + j * inner] = base + order[j] * inner;
                    }
                }
            });
            return new Tensor[] {x.gather(src, outShape), indices};
        };
    }

    /** True when element a goes before element b. Equal values are left to the stable sort. */
    private static boolean before(int a, int b, double[] dv, long[] lv, boolean largest) {
        if (dv != null) {
            return largest ? dv[a] > dv[b] : dv[a] < dv[b];
        }
        return largest ? lv[a] > lv[b] : lv[a] < lv[b];
    }

    /** Stable merge sort of order[from, to) (so ties keep the lower index first). */
    private static void sortIndices(int[] order, int[] tmp, int from, int to, double[] dv, long[] lv, boolean largest) {
        if (to - from < 2) {
            return;
        }
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int v = order[i];
                int j = i - 1;
                while (j >= from && before(v, order[j], dv, lv, largest)) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        sortIndices(order, tmp, from, mid, dv, lv, largest);
        sortIndices(order, tmp, mid, to, dv, lv, largest);
        if (!before(order[mid], order[mid - 1], dv, lv, largest)) {
            return;
        }
        System.arraycopy(order, from, tmp, from, to - from);
        int i = from, j = mid, w = from;
        while (i < mid && j < to) {
            order[w++] = before(tmp[j], tmp[i], dv, lv, largest) ? tmp[j++] : tmp[i++];
        }
        while (i < mid) order[w++] = tmp[i++];
        while (j < to) order[w++] = tmp[j++];
    }
}
