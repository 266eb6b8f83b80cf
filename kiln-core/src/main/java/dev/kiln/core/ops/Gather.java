package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.movement.Movement;
import dev.kiln.runtime.ops.Kernel;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Gather: picks entries of data along axis by indices (int32/int64, any shape, negative counting
 * from the end). Output shape: data.shape[:axis] + indices.shape + data.shape[axis+1:].
 */
public final class Gather extends Op {
    @Override
    public int opcode() {
        return 72;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        Dim[] data = Infer.dims(ctx, 0);
        Dim[] idx = Infer.dims(ctx, 1);
        if (data == null || idx == null) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        int axis = ShapeArgs.axis(ctx.attrs().getInt("axis", 0), data.length, "axis");
        Dim[] out = new Dim[data.length - 1 + idx.length];
        int k = 0;
        for (int i = 0; i < axis; i++) {
            out[k++] = data[i];
        }
        for (Dim d : idx) {
            out[k++] = d;
        }
        for (int i = axis + 1; i < data.length; i++) {
            out[k++] = data[i];
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
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
    public Kernel prepare(OpContext ctx) {
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
