package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * OneHot: a new dim of size depth inserted at axis (default -1, the last); the entry matching each
 * index is values[1], every other values[0]. Negative indices count from depth (opset 11); indices
 * outside [-depth, depth) give an all-off row. Indices and depth may be of any numeric type.
 */
public final class OneHotKernel extends NamedFactory {
    public static final OneHotKernel INSTANCE = new OneHotKernel();

    private OneHotKernel() {
        super("OneHot", 104);
    }

    /** The axis attribute normalized against the output's rank (the indices' rank + 1). */
    public static int axis(long axis, int indicesRank) {
        return ShapeArgs.axis(axis, indicesRank + 1, "axis");
    }

    /** The depth input's value, which must be positive. */
    public static int depth(Tensor t) {
        ShapeArgs.requireSingle(t, "depth");
        long d = t.getLong(0);
        if (d < 1) {
            throw new IllegalArgumentException("depth must be positive, found " + d);
        }
        return ShapeArgs.dimSize(d, "depth");
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        long axisValue = ctx.attrs().getInt("axis", -1);
        return (in, ec) -> {
            Tensor indices = in[0];
            int depth = depth(in[1]);
            Tensor values = in[2];
            if (values.size() != 2) {
                throw new IllegalArgumentException("values must hold [off, on], found shape "
                        + Arrays.toString(values.shape()));
            }
            int[] is = indices.shape();
            int a = axis(axisValue, is.length);
            int[] out = new int[is.length + 1];
            for (int i = 0, k = 0; i < out.length; i++) {
                out[i] = i == a ? depth : is[k++];
            }
            Tensor result = Tensor.allocate(values.dtype(), out);
            Tensor off = Tensor.allocate(values.dtype(), 1);
            off.copyFrom(values, 0, 0, 1);
            Movement.fill(result.data(), 0, result.size(), off);
            int inner = 1;
            for (int i = a; i < is.length; i++) {
                inner *= is[i];
            }
            int n = indices.size();
            for (int i = 0; i < n; i++) {
                long v = indices.getLong(i);
                if (v < 0) {
                    v += depth;
                }
                if (v >= 0 && v < depth) {
                    int outer = i / inner;
                    int rest = i % inner;
                    result.copyFrom(values, 1, (outer * depth + (int) v) * inner + rest, 1);
                }
            }
            return new Tensor[] {result};
        };
    }
}
