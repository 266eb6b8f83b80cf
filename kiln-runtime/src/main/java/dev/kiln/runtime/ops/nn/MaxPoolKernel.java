package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * MaxPool: the maximum of each window over 1, 2 or 3 spatial axes of an [N, C, ...] tensor.
 * Windows follow {@link PoolGeometry} (kernel_shape, strides, pads, auto_pad, dilations, ceil_mode).
 * Taps in the padding are ignored; the first maximum of a window wins.
 *
 * <p>The optional second output (opset 8) holds for each maximum its flat index in X counted over
 * the whole tensor: {@code (n*C + c) * plane + position}, where position is row-major, or with
 * {@code storage_order = 1} column-major over the spatial axes.
 *
 * <p>Types: float, float16, bfloat16, double, and int8/uint8 (opset 12).
 */
public final class MaxPoolKernel extends NamedFactory {
    public static final MaxPoolKernel INSTANCE = new MaxPoolKernel();

    private MaxPoolKernel() {
        super("MaxPool", 54);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        PoolGeometry g = PoolGeometry.fromAttributes(ctx);
        long order = ctx.attrs().getInt("storage_order", 0);
        if (order != 0 && order != 1) {
            throw ctx.error("storage_order must be 0 (row major) or 1 (column major), found " + order);
        }
        if (g.rank > 3) {
            throw ctx.error("pooling over " + g.rank + " spatial axes is not supported (at most 3)");
        }
        boolean columnMajor = order == 1;
        boolean wantIndices = ctx.hasOutput(1);
        return (in, ec) -> run(in[0], g, columnMajor, wantIndices, ec);
    }

    private static Tensor[] run(Tensor x, PoolGeometry g, boolean columnMajor, boolean wantIndices, ExecContext ec) {
        DType t = x.dtype();
        if (t == DType.BOOL || !(t.isFloatingPoint() || t == DType.INT8 || t == DType.UINT8)) {
            throw new IllegalArgumentException("MaxPool accepts float, float16, bfloat16, double, int8 and uint8 "
                    + "tensors, not " + t);
        }
        int[] shape = checkRank(x, g);
        PoolGeometry.Resolved r = g.resolve(java.util.Arrays.copyOfRange(shape, 2, shape.length));
        int[] outShape = outShape(shape, r);
        PoolKernels.Windows w = new PoolKernels.Windows(g, r, null);
        int planes = shape[0] * shape[1];
        long[] ind = wantIndices ? new long[planes * w.outPlane] : null;
        Tensor y;
        if ((t == DType.INT8 || t == DType.UINT8) && !wantIndices) {
            byte[] xs = x.bytes();
            y = Tensor.allocateForOverwrite(t, outShape);
            byte[] ys = y.bytes();
            boolean unsigned = t == DType.UINT8;
            ec.parallel().forRange(planes, w.grain(), (from, to) -> {
                for (int p = from; p < to; p++) PoolKernels.max(xs, ys, p, unsigned, w);
            });
        } else if (t == DType.DOUBLE) {
            double[] xs = x.doubles();
            double[] ys = new double[planes * w.outPlane];
            ec.parallel().forRange(planes, w.grain(), (from, to) -> {
                for (int p = from; p < to; p++) PoolKernels.max(xs, ys, ind, p, columnMajor, w);
            });
            y = Tensor.wrap(t, outShape, ys);
        } else {
            float[] xs = PoolKernels.floatsOf(x);
            float[] ys = new float[planes * w.outPlane];
            ec.parallel().forRange(planes, w.grain(), (from, to) -> {
                for (int p = from; p < to; p++) PoolKernels.max(xs, ys, ind, p, columnMajor, w);
            });
            y = PoolKernels.fromFloats(t, ys, outShape);
        }
        return wantIndices ? new Tensor[] {y, Tensor.wrap(DType.INT64, outShape, ind)} : new Tensor[] {y};
    }

    /** The input shape, checked to be [N, C, spatial...] with as many spatial axes as the kernel. */
    static int[] checkRank(Tensor x, PoolGeometry g) {
        if (x.rank() != g.rank + 2) {
            throw new IllegalArgumentException("input has shape " + java.util.Arrays.toString(x.shape())
                    + " but kernel_shape " + java.util.Arrays.toString(g.kernel) + " needs rank " + (g.rank + 2));
        }
        return x.shape();
    }

    static int[] outShape(int[] inShape, PoolGeometry.Resolved r) {
        int[] out = inShape.clone();
        System.arraycopy(r.out, 0, out, 2, r.out.length);
        return out;
    }
}
