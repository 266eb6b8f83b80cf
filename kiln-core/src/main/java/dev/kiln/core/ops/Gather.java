package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.GatherKernel;
import dev.kiln.runtime.ops.movement.ShapeArgs;

import dev.kiln.core.ir.Dim;

/**
 * Gather: picks entries of data along axis by indices. Output shape:
 * data.shape[:axis] + indices.shape + data.shape[axis+1:]. Kernel: {@link GatherKernel}.
 */
public final class Gather extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        Dim[] data = Infer.dims(ctx, 0);
        Dim[] idx = Infer.dims(ctx, 1);
        if (data == null || idx == null) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        int axis = ShapeArgs.axis(ctx.attrs().getInt("axis", 0), data.length, "axis");
        Dim[] out = new Dim[data.length - 1 + idx.length];
        int k = 0;
        for (int i = 0; i < axis; i++) {
            out[k++] = data[i];
        }
        for (Dim d : idx) {
            out[k++] = d;
        }
        for (int i = axis + 1; i < data.length; i++) {
            out[k++] = data[i];
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }
}
