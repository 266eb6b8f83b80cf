package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.movement.SqueezeKernel;

import dev.kiln.core.ir.Dim;

import java.util.ArrayList;
import java.util.List;

/**
 * Squeeze: removes dims of size 1, those listed in axes (an attribute before opset 13, an optional
 * input since), or all of them when axes is absent. Kernel: {@link SqueezeKernel}.
 */
public final class Squeeze extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        Dim[] dims = Infer.dims(ctx, 0);
        boolean axesKnown = ctx.opset() < 13 || !ctx.hasInput(1) || ctx.constant(1) != null;
        long[] axes = axesKnown ? SqueezeKernel.axes(ctx, ctx.hasInput(1) ? ctx.constant(1) : null) : null;
        int[] shape = ctx.inputShape(0);
        if (dims == null || !axesKnown || (axes == null && !ShapeArgs.isStatic(shape))) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        boolean[] drop = SqueezeKernel.removed(axes, shape);
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            if (!drop[i]) {
                out.add(dims[i]);
            }
        }
        ctx.setOutput(0, ctx.inputDtype(0), out.toArray(new Dim[0]));
    }
}
