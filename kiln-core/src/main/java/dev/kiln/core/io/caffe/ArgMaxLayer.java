package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;

import java.util.Arrays;

import static dev.kiln.core.io.caffe.CaffeContext.attrs;

/**
 * ArgMax: the indices (as floats) or values of the top_k largest elements.
 *
 * <ul>
 * <li>With axis: along that axis, the top having top_k there; values instead of indices with
 *     out_max_val. Top 1 is ArgMax (ties to the last index, as Caffe sorts (value, index) pairs
 *     descending) or ReduceMax; more is TopK.</li>
 * <li>Without axis: over everything after the first axis, the top shaped
 *     {@code [N, 1, top_k, 1...]} (rank at least 3, as the input's), or with out_max_val
 *     {@code [N, 2, top_k, 1...]}: the indices, then the values.</li>
 * </ul>
 * TopK puts equal values in index order, where Caffe puts the later index first.
 */
final class ArgMaxLayer {
    private ArgMaxLayer() {
    }

    static void convert(CaffeContext ctx) {
        CaffeNet.ArgMaxParameter p = ctx.layer().getArgmaxParam();
        Value x = ctx.bottom(0);
        int[] in = ctx.shape(x);
        long k = Integer.toUnsignedLong(p.getTopK());
        boolean values = p.getOutMaxVal();
        if (p.hasAxis()) {
            int axis = ctx.axis("argmax_param axis", p.getAxis(), in.length);
            if (k < 1 || k > in[axis]) {
                throw ctx.error("top_k " + k + " must be in [1, " + in[axis] + "] (the size of axis " + axis + ")");
            }
            Value[] r = best(ctx, x, axis, k, values, !values);
            ctx.top(0, values ? r[0] : r[1]);
            return;
        }
        int count = 1;
        for (int d = 1; d < in.length; d++) {
            count *= in[d];
        }
        if (k < 1 || k > count) {
            throw ctx.error("top_k " + k + " must be in [1, " + count + "] (the values per item)");
        }
        Value flat = in.length == 2 ? x : ctx.node("flatten", "Flatten", attrs().i("axis", 1), x);
        Value[] r = best(ctx, flat, 1, k, values, true);
        Value y = values ? ctx.node("pair", "Concat", attrs().i("axis", 1), r[1], r[0]) : r[1];
        int[] shape = new int[Math.max(3, in.length)];
        Arrays.fill(shape, 1);
        shape[0] = in[0];
        shape[1] = values ? 2 : 1;
        shape[2] = (int) k;
        ctx.top(0, ctx.reshape("reshape", y, shape));
    }

    /** {values, indices as floats} of the k largest along axis (kept, with size k); null where not wanted. */
    private static Value[] best(CaffeContext ctx, Value x, int axis, long k, boolean values, boolean indices) {
        if (k == 1) {
            Value v = values ? ctx.node("max", "ReduceMax", attrs().ints("axes", axis).i("keepdims", 1), x) : null;
            Value i = indices ? indices(ctx, ctx.node("argmax", "ArgMax", attrs().i("axis", axis).i("keepdims", 1)
                    .i("select_last_index", 1), x)) : null;
            return new Value[] {v, i};
        }
        Value[] top = ctx.nodeN("topk", "TopK", attrs().i("axis", axis), 2, x, ctx.ints("k", k));
        return new Value[] {top[0], indices ? indices(ctx, top[1]) : null};
    }

    private static Value indices(CaffeContext ctx, Value i) {
        return ctx.node("cast", "Cast", attrs().i("to", DType.FLOAT.onnxCode()), i);
    }
}
