package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.PadKernel;
import dev.kiln.runtime.ops.movement.ShapeArgs;

import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Pad: adds pads[d] elements before and pads[d + rank] after each dim (negative pads crop first),
 * in mode constant, reflect, edge or wrap (opset 19). Opsets 2-10 take pads and value as
 * attributes; from opset 11 they are inputs, and opset 18 adds the optional axes input. Kernel:
 * {@link PadKernel}.
 */
public final class Pad extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        PadKernel.mode(ctx);
        int[] in = ctx.inputShape(0);
        if (in == null) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        long[] pads = PadKernel.padsAttr(ctx);
        long[] axes = null;
        boolean known = true;
        if (pads == null) {
            Tensor p = ctx.constant(1);
            known = p != null;
            pads = p == null ? null : ShapeArgs.longs(p, "pads");
            if (ctx.opset() >= 18 && ctx.hasInput(3)) {
                Tensor a = ctx.constant(3);
                known &= a != null;
                axes = a == null ? null : ShapeArgs.longs(a, "axes");
            }
        }
        int[] out = new int[in.length];
        if (!known) {
            Arrays.fill(out, -1);
        } else {
            long[] full = PadKernel.fullPads(pads, axes, in.length);
            for (int d = 0; d < in.length; d++) {
                out[d] = in[d] < 0 ? -1 : PadKernel.outDim(in[d], full[d], full[d + in.length]);
            }
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }
}
