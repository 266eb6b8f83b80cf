package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.TransposeKernel;

import dev.kiln.core.ir.Dim;

import java.util.Arrays;

/** Transpose: output dim i is input dim perm[i]; perm defaults to reversing the dims. Kernel: {@link TransposeKernel}. */
public final class Transpose extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        long[] attr = ctx.attrs().getInts("perm", null);
        Dim[] dims = Infer.dims(ctx, 0);
        if (dims == null) {
            int[] unknown = null;
            if (attr != null) {
                unknown = new int[attr.length];
                Arrays.fill(unknown, -1);
            }
            ctx.setOutput(0, ctx.inputDtype(0), unknown);
            return;
        }
        int[] p = TransposeKernel.perm(attr, dims.length);
        Dim[] out = new Dim[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = dims[p[i]];
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }
}
