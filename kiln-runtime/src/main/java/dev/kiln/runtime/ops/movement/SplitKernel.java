package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Split: cuts the input along axis into the node's outputs. Sizes come from split (an attribute
 * before opset 13, an optional input since), else from num_outputs (opset 18: chunks of
 * ceil(dim / n), the last one smaller), else equal parts.
 */
public final class SplitKernel extends NamedFactory {
    public static final SplitKernel INSTANCE = new SplitKernel();

    private SplitKernel() {
        super("Split", 63);
    }

    /** The attribute split (opsets before 13), or null. */
    public static long[] splitAttr(KernelContext ctx) {
        return ctx.opset() < 13 ? ctx.attrs().getInts("split", null) : null;
    }

    /** True when the sizes come from an input tensor (opset 13+, or opset 1's optional second input). */
    public static boolean splitFromInput(KernelContext ctx) {
        return ctx.hasInput(1) && (ctx.opset() >= 13 || ctx.opset() < 2);
    }

    /** The num_outputs attribute (opset 18), checked against the node's outputs; -1 when absent. */
    public static long numOutputsAttr(KernelContext ctx, int outputs) {
        if (ctx.opset() < 18 || !ctx.attrs().has("num_outputs")) {
            return -1;
        }
        long n = ctx.attrs().getInt("num_outputs", -1);
        if (n != outputs) {
            throw ctx.error("num_outputs is " + n + " but the node has " + outputs + " outputs");
        }
        return n;
    }

    /** Size of each output along the axis. */
    public static int[] sizes(long[] split, long numOutputs, int dim, int outputs) {
        int[] s = new int[outputs];
        if (split != null && split.length > 0) {
            if (split.length != outputs) {
                throw new IllegalArgumentException("split has " + split.length + " entries but the node has "
                        + outputs + " outputs");
            }
            long sum = 0;
            for (int i = 0; i < outputs; i++) {
                s[i] = ShapeArgs.dimSize(split[i], "split entry");
                sum += s[i];
            }
            if (sum != dim) {
                throw new IllegalArgumentException("split " + Arrays.toString(split) + " sums to " + sum
                        + " but the dimension being split is " + dim);
            }
        } else if (numOutputs > 0) {
            int chunk = (int) ((dim + numOutputs - 1) / numOutputs);
            long last = dim - (long) chunk * (outputs - 1);
            if (last < 0) {
                throw new IllegalArgumentException("cannot split a dimension of " + dim + " into " + numOutputs
                        + " chunks of " + chunk);
            }
            Arrays.fill(s, chunk);
            s[outputs - 1] = (int) last;
        } else {
            if (dim % outputs != 0) {
                throw new IllegalArgumentException("a dimension of " + dim + " cannot be split evenly into "
                        + outputs + " outputs");
            }
            Arrays.fill(s, dim / outputs);
        }
        return s;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        int outputs = ctx.outputCount();
        long numOutputs = numOutputsAttr(ctx, outputs);
        long axisValue = ctx.attrs().getInt("axis", 0);
        long[] fixed = splitAttr(ctx);
        boolean fromInput = splitFromInput(ctx);
        return (in, ec) -> {
            Tensor x = in[0];
            int[] shape = x.shape();
            int axis = ShapeArgs.axis(axisValue, shape.length, "axis");
            long[] split = fromInput ? ShapeArgs.longs(in[1], "split") : fixed;
            int[] sizes = sizes(split, numOutputs, shape[axis], outputs);
            int outer = Shapes.product(shape, 0, axis);
            int inner = Shapes.product(shape, axis + 1, shape.length);
            int inBlock = shape[axis] * inner;
            Tensor[] out = new Tensor[outputs];
            int at = 0;
            for (int i = 0; i < outputs; i++) {
                int[] s = shape.clone();
                s[axis] = sizes[i];
                out[i] = Tensor.allocate(x.dtype(), s);
                int block = sizes[i] * inner;
                Movement.copyBlocks(x.data(), at, inBlock, out[i].data(), 0, block, outer, block, ec.parallel());
                at += block;
            }
            return out;
        };
    }
}
