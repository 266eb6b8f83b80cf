package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Gather: picks entries of data along axis by indices (int32/int64, any shape, negative counting
 * from the end). Output shape: data.shape[:axis] + indices.shape + data.shape[axis+1:].
 */
public final class GatherKernel extends NamedFactory {
    public static final GatherKernel INSTANCE = new GatherKernel();

    private GatherKernel() {
        super("Gather", 72);
    }

    /** Indices as validated non-negative positions into a dim of the given size. */
    static int[] positions(Tensor indices, int dim) {
        long[] v = ShapeArgs.longs(indices, "indices");
        int[] p = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            p[i] = ShapeArgs.index(v[i], dim, "index");
        }
        return p;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        long axisValue = ctx.attrs().getInt("axis", 0);
        return (in, ec) -> {
            Tensor data = in[0];
            Tensor indices = in[1];
            int[] shape = data.shape();
            int axis = ShapeArgs.axis(axisValue, shape.length, "axis");
            int[] pos = positions(indices, shape[axis]);
            int[] is = indices.shape();
            int[] out = new int[shape.length - 1 + is.length];
            System.arraycopy(shape, 0, out, 0, axis);
            System.arraycopy(is, 0, out, axis, is.length);
            System.arraycopy(shape, axis + 1, out, axis + is.length, shape.length - axis - 1);
            return new Tensor[] {Movement.gatherAxis(data, axis, pos, out, ec.parallel())};
        };
    }
}
