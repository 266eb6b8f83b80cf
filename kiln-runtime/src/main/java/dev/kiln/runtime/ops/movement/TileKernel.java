package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/** Tile: repeats the input repeats[d] times along each dim d (repeats: 1-D int64 of length rank). */
public final class TileKernel extends NamedFactory {
    public static final TileKernel INSTANCE = new TileKernel();

    private TileKernel() {
        super("Tile", 71);
    }

    /** The repeats tensor's values, checked against the input's rank. */
    public static long[] repeats(Tensor t, int rank) {
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
    public Kernel prepare(KernelContext ctx) {
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
