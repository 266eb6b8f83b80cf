package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.movement.Movement;
import dev.kiln.runtime.ops.Kernel;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Split: cuts the input along axis into the node's outputs. Sizes come from split (an attribute
 * before opset 13, an optional input since), else from num_outputs (opset 18: chunks of
 * ceil(dim / n), the last one smaller), else equal parts.
 */
public final class Split extends Op {
    @Override
    public int opcode() {
        return 63;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    /** The attribute split (opsets before 13), or null. */
    private static long[] splitAttr(OpContext ctx) {
        return ctx.opset() < 13 ? ctx.attrs().getInts("split", null) : null;
    }

    /** True when the sizes come from an input tensor (opset 13+, or opset 1's optional second input). */
    private static boolean splitFromInput(OpContext ctx) {
        return ctx.hasInput(1) && (ctx.opset() >= 13 || ctx.opset() < 2);
    }

    private static long numOutputsAttr(OpContext ctx, int outputs) {
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
    static int[] sizes(long[] split, long numOutputs, int dim, int outputs) {
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
    public void infer(OpContext ctx) {
        int outputs = ctx.outputCount();
        long numOutputs = numOutputsAttr(ctx, outputs);
        Dim[] dims = Infer.dims(ctx, 0);
        if (dims == null) {
            for (int i = 0; i < outputs; i++) {
                ctx.setOutput(i, ctx.inputDtype(0), (int[]) null);
            }
            return;
        }
        int axis = ShapeArgs.axis(ctx.attrs().getInt("axis", 0), dims.length, "axis");
        long[] split = splitAttr(ctx);
        boolean known = dims[axis].isKnown();
        if (splitFromInput(ctx)) {
            Tensor c = ctx.constant(1);
            known &= c != null;
            split = c == null ? null : ShapeArgs.longs(c, "split");
        }
        int[] sizes = known ? sizes(split, numOutputs, (int) dims[axis].value(), outputs) : null;
        for (int i = 0; i < outputs; i++) {
            Dim[] d = dims.clone();
            d[axis] = sizes != null ? Dim.of(sizes[i]) : split != null && split.length == outputs ? Dim.of(split[i]) : Dim.UNKNOWN;
            ctx.setOutput(i, ctx.inputDtype(0), d);
        }
    }

    @Override
    public Kernel prepare(OpContext ctx) {
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
