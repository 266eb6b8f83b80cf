package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * GatherElements: out[i_0..i_k] = data[i_0..indices[i_0..i_k]..i_k] (the index replaces the
 * coordinate on axis). Indices have data's rank; the output has the indices' shape.
 */
public final class GatherElementsKernel extends NamedFactory {
    public static final GatherElementsKernel INSTANCE = new GatherElementsKernel();

    private GatherElementsKernel() {
        super("GatherElements", 73);
    }

    /**
     * Flat source position of every element of an indices-shaped tensor whose coordinate on axis
     * is replaced by the index (shared with ScatterElements, where it is the target position).
     */
    static int[] elementPositions(int[] dataShape, Tensor indices, int axis) {
        int[] is = indices.shape();
        if (is.length != dataShape.length) {
            throw new IllegalArgumentException("indices have rank " + is.length + " but data has rank " + dataShape.length);
        }
        for (int d = 0; d < is.length; d++) {
            if (d != axis && is[d] > dataShape[d]) {
                throw new IllegalArgumentException("indices shape " + Arrays.toString(is)
                        + " exceeds data shape " + Arrays.toString(dataShape) + " on dim " + d);
            }
        }
        long[] idx = ShapeArgs.longs(indices, "indices");
        int[] st = Shapes.strides(dataShape);
        int rank = is.length;
        int[] pos = new int[idx.length];
        int[] c = new int[rank];
        int base = 0;
        int dim = dataShape[axis];
        for (int i = 0; i < idx.length; i++) {
            pos[i] = base + ShapeArgs.index(idx[i], dim, "index") * st[axis];
            for (int d = rank - 1; d >= 0; d--) {
                if (d != axis) {
                    base += st[d];
                }
                if (++c[d] < is[d]) {
                    break;
                }
                if (d != axis) {
                    base -= st[d] * c[d];
                }
                c[d] = 0;
            }
        }
        return pos;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        long axisValue = ctx.attrs().getInt("axis", 0);
        return (in, ec) -> {
            Tensor data = in[0];
            int axis = ShapeArgs.axis(axisValue, data.rank(), "axis");
            return new Tensor[] {data.gather(elementPositions(data.shape(), in[1], axis), in[1].shape())};
        };
    }
}
