package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * GatherND: each length-m row of indices (its last dim) addresses a slice of data; the first
 * batch_dims dims (opset 12) are shared by data and indices. Output shape:
 * indices.shape[:-1] + data.shape[batch_dims + m:].
 */
public final class GatherNDKernel extends NamedFactory {
    public static final GatherNDKernel INSTANCE = new GatherNDKernel();

    private GatherNDKernel() {
        super("GatherND", 74);
    }

    /**
     * The addressing shared by GatherND and ScatterND: for every index row, the flat data position
     * of the slice it selects. Returns {positions, block}: the rows' positions and the slice size.
     */
    static int[][] rows(int[] data, Tensor indices, int batchDims) {
        int[] is = indices.shape();
        int q = is.length;
        int r = data.length;
        if (q < 1 || batchDims < 0 || batchDims >= q || batchDims >= r) {
            throw new IllegalArgumentException("batch_dims " + batchDims + " does not fit data of rank " + r
                    + " and indices of rank " + q);
        }
        int m = is[q - 1];
        if (m < 1 || batchDims + m > r) {
            throw new IllegalArgumentException("index rows of length " + m + " do not fit data of rank " + r
                    + " with batch_dims " + batchDims);
        }
        for (int d = 0; d < batchDims; d++) {
            if (is[d] != data[d]) {
                throw new IllegalArgumentException("batch dims differ: indices " + Arrays.toString(is) + ", data "
                        + Arrays.toString(data));
            }
        }
        long[] idx = ShapeArgs.longs(indices, "indices");
        int[] st = Shapes.strides(data);
        int batches = Shapes.product(data, 0, batchDims);
        int perBatch = Shapes.product(is, batchDims, q - 1);
        int batchSize = Shapes.product(data, batchDims, r);
        int block = Shapes.product(data, batchDims + m, r);
        int[] pos = new int[batches * perBatch];
        for (int b = 0; b < batches; b++) {
            for (int t = 0; t < perBatch; t++) {
                int row = b * perBatch + t;
                int p = b * batchSize;
                for (int j = 0; j < m; j++) {
                    int d = batchDims + j;
                    p += ShapeArgs.index(idx[row * m + j], data[d], "index") * st[d];
                }
                pos[row] = p;
            }
        }
        return new int[][] {pos, {block}};
    }

    /** indices.shape[:-1] + data.shape[batch_dims + m:], m the length of an index row. */
    public static int[] outShape(int[] data, int[] is, int batchDims) {
        int m = is[is.length - 1];
        int[] out = new int[is.length - 1 + data.length - batchDims - m];
        System.arraycopy(is, 0, out, 0, is.length - 1);
        System.arraycopy(data, batchDims + m, out, is.length - 1, data.length - batchDims - m);
        return out;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        int b = (int) ctx.attrs().getInt("batch_dims", 0);
        return (in, ec) -> {
            Tensor data = in[0];
            int[][] rows = rows(data.shape(), in[1], b);
            int[] pos = rows[0];
            int block = rows[1][0];
            int[] out = outShape(data.shape(), in[1].shape(), b);
            if (block == 1) {
                return new Tensor[] {Movement.gather(data, new int[] {pos.length}, new int[][] {pos}, null,
                        ec.parallel()).reshape(out)};
            }
            int[] iota = new int[block];
            for (int i = 0; i < block; i++) {
                iota[i] = i;
            }
            return new Tensor[] {Movement.gather(data, new int[] {pos.length, block}, new int[][] {pos, iota}, null,
                    ec.parallel()).reshape(out)};
        };
    }
}
