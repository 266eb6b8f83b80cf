package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.movement.UnsqueezeKernel;

import dev.kiln.core.ir.Dim;

/**
 * Unsqueeze: inserts dims of size 1 at the given axes of the output (an attribute before opset 13,
 * an input since; negative from opset 11, counted against the output rank). Kernel:
 * {@link UnsqueezeKernel}.
 */
public final class Unsqueeze extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
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
        boolean[] ins = UnsqueezeKernel.inserted(axes, dims.length);
        Dim[] out = new Dim[ins.length];
        for (int i = 0, k = 0; i < out.length; i++) {
            out[i] = ins[i] ? Dim.of(1) : dims[k++];
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }
}
