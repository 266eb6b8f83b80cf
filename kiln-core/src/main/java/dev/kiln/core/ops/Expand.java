package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.movement.Movement;
import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Expand: broadcasts the input to the numpy broadcast of its shape and the given shape (so a 1 in
 * the shape keeps the input's dim, and the output rank is the larger of the two).
 */
public final class Expand extends Op {
    @Override
    public int opcode() {
        return 70;
    }

    @Override
    public int minOpset() {
        return 8;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    private static int[] requested(Tensor shape) {
        long[] v = ShapeArgs.longs(shape, "shape");
        int[] s = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = ShapeArgs.dimSize(v[i], "shape entry");
        }
        return s;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] in = ctx.inputShape(0);
        Tensor c = ctx.constant(1);
        if (in != null && c != null) {
            ctx.setOutput(0, ctx.inputDtype(0), Infer.broadcast(in, requested(c)));
            return;
        }
        int[] ss = ctx.inputShape(1);
        if (in == null || ss == null || ss.length != 1 || ss[0] < 0) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        // the shape's values are unknown: only input dims other than 1 survive for sure
        int rank = Math.max(in.length, ss[0]);
        int[] out = new int[rank];
        Arrays.fill(out, -1);
        for (int i = 0; i < in.length; i++) {
            if (in[i] > 1) {
                out[rank - in.length + i] = in[i];
            }
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        return (in, ec) -> {
            Tensor x = in[0];
            int[] out = Shapes.broadcast(x.shape(), requested(in[1]));
            return new Tensor[] {Movement.strided(x, 0, out, Shapes.broadcastStrides(x.shape(), out), ec.parallel())};
        };
    }
}
