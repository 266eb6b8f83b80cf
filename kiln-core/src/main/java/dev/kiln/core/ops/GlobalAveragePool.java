package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.GlobalAveragePoolKernel;
import dev.kiln.core.ir.Dim;

/**
 * GlobalAveragePool: the mean of each (n, c) plane; the spatial axes of the output are all 1.
 *
 * <p>Kernel: {@link GlobalAveragePoolKernel}.
 */
public final class GlobalAveragePool extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, ctx.inputDtype(0), globalDims(ctx));
    }

    /** [N, C, 1, ..., 1] with N and C (and their names) from the input; null for unknown rank. */
    static Dim[] globalDims(OpContext ctx) {
        Dim[] in = Infer.dims(ctx, 0);
        if (in == null) {
            return null;
        }
        if (in.length < 2) {
            throw ctx.error("input must have shape [N, C, ...], found rank " + in.length);
        }
        Dim[] out = in.clone();
        for (int i = 2; i < out.length; i++) {
            out[i] = Dim.of(1);
        }
        return out;
    }
}
