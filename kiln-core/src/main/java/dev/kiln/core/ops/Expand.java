package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ExpandKernel;
import dev.kiln.runtime.ops.movement.ShapeArgs;

import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Expand: broadcasts the input to the numpy broadcast of its shape and the given shape. Kernel:
 * {@link ExpandKernel}.
 */
public final class Expand extends Op {
    @Override
    public int minOpset() {
        return 8;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] in = ctx.inputShape(0);
        Tensor c = ctx.constant(1);
        if (in != null && c != null) {
            ctx.setOutput(0, ctx.inputDtype(0), Infer.broadcast(in, ShapeArgs.shape(c)));
            return;
        }
        int[] ss = ctx.inputShape(1);
        if (in == null || ss == null || ss.length != 1 || ss[0] < 0) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        // the shape's values are unknown: only input dims other than 1 survive for sure
        int rank = Math.max(in.length, ss[0]);
        int[] out = new int[rank];
        Arrays.fill(out, -1);
        for (int i = 0; i < in.length; i++) {
            if (in[i] > 1) {
                out[rank - in.length + i] = in[i];
            }
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }
}
