package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.ConvAttributes;
import dev.kiln.runtime.ops.nn.ConvKernel;
import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.DType;

import java.util.Arrays;

/**
 * Conv (1-D, 2-D, 3-D; groups, dilations, pads, auto_pad). Computed as a GEMM of the weights
 * (packed once when constant) with the input's im2col columns, packed on the fly; pointwise
 * convolutions read the input directly and depthwise 2-D convolutions run a direct kernel.
 *
 * <p>Kernel: {@link ConvKernel}.
 */
public final class Conv extends Op implements Fusible {
    @Override
    public QuantKind quantKind() {
        return QuantKind.COMPUTE;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] x = ctx.inputShape(0);
        int[] w = ctx.inputShape(1);
        DType t = ctx.inputDtype(0);
        int rank = x != null ? x.length - 2 : w != null ? w.length - 2 : -1;
        if (rank < 1) {
            ctx.setOutput(0, t, (int[]) null);
            return;
        }
        int[] wSpatial = w == null ? null : Arrays.copyOfRange(w, 2, w.length);
        ConvAttributes a = ConvAttributes.parse(ctx, rank, wSpatial);
        int[] out = new int[rank + 2];
        out[0] = x == null ? -1 : x[0];
        out[1] = w == null ? -1 : w[0];
        int[] in = x == null ? ConvAttributes.filled(rank, -1) : Arrays.copyOfRange(x, 2, x.length);
        boolean known = true;
        for (int d : a.kernel) {
            known &= d > 0;
        }
        int[] sp = known ? a.outputSize(in) : ConvAttributes.filled(rank, -1);
        System.arraycopy(sp, 0, out, 2, rank);
        ctx.setOutput(0, t, out);
    }

    @Override
    public int residualIndex() {
        return 3;
    }

    @Override
    public Kernel prepareFused(OpContext ctx, Fusion fusion) {
        return ConvKernel.INSTANCE.prepareFused(ctx, fusion.lo(), fusion.hi(), fusion.residual(), fusion.activation());
    }
}
