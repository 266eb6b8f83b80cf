package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.ConvAttributes;
import dev.kiln.runtime.ops.nn.ConvTransposeKernel;

import dev.kiln.runtime.tensor.DType;

import java.util.Arrays;

/**
 * ConvTranspose (1-D to 3-D; groups, dilations, output_padding, output_shape, auto_pad). Computed as
 * a GEMM of the transposed weights with the input, giving one column per input position, followed
 * by col2im: each column is added into the output window it covers.
 *
 * <p>Kernel: {@link ConvTransposeKernel}.
 */
public final class ConvTranspose extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.COMPUTE;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] x = ctx.inputShape(0);
        int[] w = ctx.inputShape(1);
        DType t = ctx.inputDtype(0);
        if (x == null || w == null) {
            ctx.setOutput(0, t, (int[]) null);
            return;
        }
        int rank = x.length - 2;
        ConvAttributes a = ConvAttributes.parse(ctx, rank, Arrays.copyOfRange(w, 2, w.length));
        int[] out = new int[rank + 2];
        out[0] = x[0];
        out[1] = w[1] < 0 ? -1 : w[1] * a.group;
        int[] in = Arrays.copyOfRange(x, 2, x.length);
        boolean known = Arrays.stream(in).allMatch(d -> d >= 0) && Arrays.stream(a.kernel).allMatch(d -> d > 0);
        int[] sp = known ? ConvTransposeKernel.geometry(ctx, a, in).out() : ConvAttributes.filled(rank, -1);
        System.arraycopy(sp, 0, out, 2, rank);
        ctx.setOutput(0, t, out);
    }
}
