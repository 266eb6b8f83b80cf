package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * MaxUnpool: a partial inverse of MaxPool. The output is zero except at the flat positions given by
 * the indices input I (as MaxPool's second output numbers them), which receive the values of X.
 *
 * <p>The output shape is {@code output_shape} when given (it must hold at least as many elements
 * as the default), else [N, C] and per spatial axis {@code (in-1)*stride + kernel - padBegin - padEnd}.
 * Types: float, float16, bfloat16, double values with int64 indices.
 */
public final class MaxUnpoolKernel extends NamedFactory {
    public static final MaxUnpoolKernel INSTANCE = new MaxUnpoolKernel();

    private MaxUnpoolKernel() {
        super("MaxUnpool", 148);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        PoolGeometry g = PoolGeometry.fromAttributes(ctx);
        return (in, ec) -> new Tensor[] {run(in[0], in[1], in.length > 2 ? in[2] : null, g)};
    }

    private static Tensor run(Tensor x, Tensor ind, Tensor outputShape, PoolGeometry g) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("MaxUnpool accepts float types only, not " + x.dtype());
        }
        if (ind.dtype() != DType.INT64 || !Arrays.equals(ind.shape(), x.shape())) {
            throw new IllegalArgumentException("indices must be an int64 tensor of X's shape " + Arrays.toString(x.shape())
                    + ", found " + ind.dtype() + " " + Arrays.toString(ind.shape()));
        }
        MaxPoolKernel.checkRank(x, g);
        int[] shape = x.shape().clone();
        long minimum = (long) shape[0] * shape[1];
        for (int i = 0; i < g.rank; i++) {
            shape[i + 2] = defaultSize(g, i, x.dim(i + 2));
            if (shape[i + 2] <= 0) {
                throw new IllegalArgumentException("the output size of spatial axis " + i + " comes out as "
                        + shape[i + 2] + "; check kernel_shape, strides and pads");
            }
            minimum *= shape[i + 2];
        }
        if (outputShape != null) {
            long[] s = outputShape.toLongArray();
            if (outputShape.rank() != 1 || s.length != x.rank()) {
                throw new IllegalArgumentException("output_shape must be a 1-D tensor of " + x.rank() + " values, found "
                        + Arrays.toString(s));
            }
            int[] given = ConvAttributes.toInts(s);
            long n = 1;
            for (int v : given) n *= v;
            if (n < minimum) {
                throw new IllegalArgumentException("output_shape " + Arrays.toString(given)
                        + " is smaller than the default output shape " + Arrays.toString(shape));
            }
            shape = given;
        }
        Tensor y = Tensor.allocate(x.dtype(), shape);
        long[] idx = ind.longs();
        int size = y.size();
        for (int i = 0; i < x.size(); i++) {
            long p = idx[i];
            if (p < 0 || p >= size) {
                throw new IllegalArgumentException("index " + p + " is outside the output of " + size + " elements");
            }
            y.copyFrom(x, i, (int) p, 1);
        }
        return y;
    }

    /** The output size along spatial axis {@code axis} when output_shape is not given. */
    public static int defaultSize(PoolGeometry g, int axis, int in) {
        return (in - 1) * g.strides[axis] - g.pads[axis] - g.pads[g.rank + axis] + g.kernel[axis];
    }
}
