package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.FlattenKernel;
import dev.kiln.runtime.ops.movement.ShapeArgs;

import dev.kiln.core.ir.Dim;

/**
 * Flatten: a 2-D view [d_0 * ... * d_{axis-1}, d_axis * ... * d_{r-1}]; axis in [-r, r] (negative
 * from opset 11), default 1. Kernel: {@link FlattenKernel}.
 */
public final class Flatten extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        Dim[] dims = Infer.dims(ctx, 0);
        if (dims == null) {
            ctx.setOutput(0, ctx.inputDtype(0), new int[] {-1, -1});
            return;
        }
        int[] s = ctx.inputShape(0);
        int a = FlattenKernel.axis(ctx.attrs().getInt("axis", 1), s.length);
        ctx.setOutput(0, ctx.inputDtype(0), new Dim[] {part(dims, s, 0, a), part(dims, s, a, s.length)});
    }

    /** Product of dims [from, to): a number when all are known, the dim itself (symbolic name kept) when alone. */
    private static Dim part(Dim[] dims, int[] s, int from, int to) {
        if (to - from == 1) {
            return dims[from];
        }
        long p = ShapeArgs.knownProduct(s, from, to);
        return p < 0 ? Dim.UNKNOWN : Dim.of(p);
    }
}
