package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.movement.SliceKernel;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Slice: numpy-style basic slicing. Opsets 1-9 take starts, ends and axes as attributes; from
 * opset 10 they are inputs, with optional steps. Kernel: {@link SliceKernel}.
 */
public final class Slice extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        Dim[] dims = Infer.dims(ctx, 0);
        if (dims == null) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        SliceKernel.Args a;
        if (ctx.opset() < 10) {
            a = SliceKernel.attributes(ctx);
        } else {
            boolean known = ctx.constant(1) != null && ctx.constant(2) != null
                    && (!ctx.hasInput(3) || ctx.constant(3) != null) && (!ctx.hasInput(4) || ctx.constant(4) != null);
            if (!known) {
                inferAxesOnly(ctx, dims);
                return;
            }
            a = new SliceKernel.Args(SliceKernel.ints(ctx.constant(1), "starts"), SliceKernel.ints(ctx.constant(2), "ends"),
                    SliceKernel.ints(ctx.constant(3), "axes"), SliceKernel.ints(ctx.constant(4), "steps"));
        }
        long[][] p = SliceKernel.plan(a, ctx.inputShape(0));
        Dim[] out = dims.clone();
        for (int d = 0; d < out.length; d++) {
            long c = p[d][2];
            out[d] = c == -2 ? dims[d] : c < 0 ? Dim.UNKNOWN : Dim.of(c);
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }

    /** Starts or ends unknown: the sliced axes become unknown when the axes are known, else all dims. */
    private static void inferAxesOnly(OpContext ctx, Dim[] dims) {
        Dim[] out = dims.clone();
        Tensor axes = ctx.hasInput(3) ? ctx.constant(3) : null;
        if (axes != null) {
            for (int d : ShapeArgs.axes(ShapeArgs.longs(axes, "axes"), dims.length, "axes")) {
                out[d] = Dim.UNKNOWN;
            }
        } else {
            int[] ss = ctx.inputShape(1);
            int n = !ctx.hasInput(3) && ss != null && ss.length == 1 && ss[0] >= 0 ? ss[0] : out.length;
            for (int d = 0; d < Math.min(n, out.length); d++) {
                out[d] = Dim.UNKNOWN;
            }
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }
}
