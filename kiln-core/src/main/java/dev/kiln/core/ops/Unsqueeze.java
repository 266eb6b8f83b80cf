package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.Kernel;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Unsqueeze: inserts dims of size 1 at the given axes of the output (an attribute before opset 13,
 * an input since; negative from opset 11, counted against the output rank). Shares the data.
 */
public final class Unsqueeze extends Op {
    @Override
    public int opcode() {
        return 69;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    /** Which output dims are the inserted ones. */
    private static boolean[] inserted(long[] axes, int inRank) {
        int outRank = inRank + axes.length;
        boolean[] ins = new boolean[outRank];
        for (int a : ShapeArgs.axes(axes, outRank, "axes")) {
            ins[a] = true;
        }
        return ins;
    }

    @Override
    public void infer(OpContext ctx) {
        long[] axes = ctx.opset() < 13 ? ctx.attrs().getInts("axes", null)
                : ctx.constant(1) == null ? null : ShapeArgs.longs(ctx.constant(1), "axes");
        Dim[] dims = Infer.dims(ctx, 0);
        if (axes == null || dims == null) {
            int[] as = ctx.inputShape(1);
            if (dims != null && ctx.opset() >= 13 && as != null && as.length == 1 && as[0] >= 0) {
                int[] unknown = new int[dims.length + as[0]];
                java.util.Arrays.fill(unknown, -1);
                ctx.setOutput(0, ctx.inputDtype(0), unknown);
            } else {
                ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            }
            return;
        }
        boolean[] ins = inserted(axes, dims.length);
        Dim[] out = new Dim[ins.length];
        for (int i = 0, k = 0; i < out.length; i++) {
            out[i] = ins[i] ? Dim.of(1) : dims[k++];
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        long[] fixed = ctx.opset() < 13 ? ctx.attrs().getInts("axes", null) : null;
        if (ctx.opset() < 13 && fixed == null) {
            throw ctx.error("needs the axes attribute at opset " + ctx.opset());
        }
        return (in, ec) -> {
            long[] axes = fixed != null ? fixed : ShapeArgs.longs(in[1], "axes");
            int[] shape = in[0].shape();
            boolean[] ins = inserted(axes, shape.length);
            int[] out = new int[ins.length];
            for (int i = 0, k = 0; i < out.length; i++) {
                out[i] = ins[i] ? 1 : shape[k++];
            }
            return new Tensor[] {in[0].reshape(out)};
        };
    }
}
