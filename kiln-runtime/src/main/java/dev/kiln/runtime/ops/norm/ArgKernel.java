package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * ArgMax and ArgMin: the int64 index of the extreme element along one axis (attributes axis = 0,
 * keepdims = 1, select_last_index = 0 from opset 12). Ties give the first index, or the last with
 * select_last_index. Like ONNX Runtime, comparisons start from the first element and NaN never
 * compares larger or smaller, so a NaN is chosen only when it comes first.
 */
public final class ArgKernel extends NamedFactory {
    public static final ArgKernel ARG_MAX = new ArgKernel("ArgMax", 90, true);
    public static final ArgKernel ARG_MIN = new ArgKernel("ArgMin", 91, false);

    /** True for ArgMax, false for ArgMin. */
    private final boolean max;

    private ArgKernel(String opType, int opcode, boolean max) {
        super(opType, opcode);
        this.max = max;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        final long axisAttr = ctx.attrs().getInt("axis", 0);
        final boolean keepdims = ctx.attrs().getInt("keepdims", 1) != 0;
        final boolean last = ctx.opset() >= 12 && ctx.attrs().getInt("select_last_index", 0) != 0;
        final boolean max = this.max;
        DType t = ctx.inputDtype(0);
        if (t != null && !(t.isFloatingPoint() || t.isInteger())) {
            throw ctx.error(opType() + " does not accept " + t + " tensors");
        }
        return (in, ec) -> {
            Tensor x = in[0];
            int axis = Shapes.axis(axisAttr, x.rank());
            Reduction r = Reduction.alongAxis(x.shape(), axis);
            if (r.count() == 0) {
                throw new IllegalArgumentException(opType() + " over an empty axis " + axis + " has no result");
            }
            Tensor out = Tensor.allocate(DType.INT64, Reduction.reducedShape(x.shape(), Reduction.oneAxis(axis, x.rank()), keepdims));
            long[] o = out.longs();
            int count = r.count(), inner = r.inner();
            if (x.dtype().isFloatStorage() || x.dtype() == DType.DOUBLE) {
                double[] v = x.dtype() == DType.DOUBLE ? x.doubles() : null;
                float[] f = v == null ? x.floats() : null;
                ec.parallel().forRange(o.length, ReduceKernels.grain(count), (from, to) -> {
                    for (int k = from; k < to; k++) {
                        int base = (k / inner) * count * inner + k % inner;
                        int best = 0;
                        double bv = f != null ? f[base] : v[base];
                        for (int j = 1, i = base + inner; j < count; j++, i += inner) {
                            double e = f != null ? f[i] : v[i];
                            if (better(e, bv, max, last)) {
                                best = j;
                                bv = e;
                            }
                        }
                        o[k] = best;
                    }
                });
            } else {
                long[] v = x.toLongArray();
                boolean u64 = x.dtype() == DType.UINT64;
                for (int k = 0; k < o.length; k++) {
                    int base = (k / inner) * count * inner + k % inner;
                    int best = 0;
                    long bv = v[base];
                    for (int j = 1, i = base + inner; j < count; j++, i += inner) {
                        int c = u64 ? Long.compareUnsigned(v[i], bv) : Long.compare(v[i], bv);
                        if (max ? (c > 0 || (last && c == 0)) : (c < 0 || (last && c == 0))) {
                            best = j;
                            bv = v[i];
                        }
                    }
                    o[k] = best;
                }
            }
            return new Tensor[] {out};
        };
    }

    private static boolean better(double e, double best, boolean max, boolean last) {
        if (max) {
            return e > best || (last && e == best);
        }
        return e < best || (last && e == best);
    }
}
