package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.movement.Movement;
import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/** Tile: repeats the input repeats[d] times along each dim d (repeats: 1-D int64 of length rank). */
public final class Tile extends Op {
    @Override
    public int opcode() {
        return 71;
    }

    /** Opset 1 Tile took tiles and axis inputs; the repeats form starts at opset 6. */
    @Override
    public int minOpset() {
        return 6;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    private static long[] repeats(Tensor t, int rank) {
        long[] r = ShapeArgs.longs(t, "repeats");
        if (r.length != rank) {
            throw new IllegalArgumentException("repeats has " + r.length + " entries for an input of rank " + rank);
        }
        for (long v : r) {
            if (v < 0) {
                throw new IllegalArgumentException("repeats " + Arrays.toString(r) + " has a negative entry");
            }
        }
        return r;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] in = ctx.inputShape(0);
        if (in == null) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        Tensor c = ctx.constant(1);
        int[] out = new int[in.length];
        long[] r = c == null ? null : repeats(c, in.length);
        for (int i = 0; i < in.length; i++) {
            out[i] = r == null || in[i] < 0 ? -1 : ShapeArgs.dimSize(in[i] * r[i], "tiled dimension");
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        return (in, ec) -> {
            Tensor x = in[0];
            int[] shape = x.shape();
            long[] r = repeats(in[1], shape.length);
            int[] st = Shapes.strides(shape);
            int[] out = new int[shape.length];
            int[][] offsets = new int[shape.length][];
            for (int d = 0; d < shape.length; d++) {
                out[d] = ShapeArgs.dimSize(shape[d] * r[d], "tiled dimension");
                offsets[d] = new int[out[d]];
                for (int i = 0; i < out[d]; i++) {
                    offsets[d][i] = (i % shape[d]) * st[d];
                }
            }
            return new Tensor[] {Movement.gather(x, out, offsets, null, ec.parallel())};
        };
    }
}
