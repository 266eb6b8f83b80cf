package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.ConvAttributes;
import dev.kiln.runtime.ops.nn.PoolGeometry;
import dev.kiln.runtime.ops.nn.MaxUnpoolKernel;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * MaxUnpool: a partial inverse of MaxPool. The output is zero except at the flat positions given by
 * the indices input I (as MaxPool's second output numbers them), which receive the values of X.
 *
 * <p>The output shape is {@code output_shape} when given (it must hold at least as many elements
 * as the default), else [N, C] and per spatial axis {@code (in-1)*stride + kernel - padBegin - padEnd}.
 * Types: float, float16, bfloat16, double values with int64 indices.
 *
 * <p>Kernel: {@link MaxUnpoolKernel}.
 */
public final class MaxUnpool extends Op {
    @Override
    public void infer(OpContext ctx) {
        PoolGeometry g = PoolGeometry.fromAttributes(ctx);
        DType t = ctx.inputDtype(0);
        if (ctx.hasInput(2)) {
            Tensor s = ctx.constant(2);
            if (s == null) {
                ctx.setOutput(0, t, Infer.rank(ctx, 0) < 0 ? null : unknown(Infer.rank(ctx, 0)));
            } else {
                ctx.setOutput(0, t, ConvAttributes.toInts(s.toLongArray()));
            }
            return;
        }
        Dim[] in = Infer.dims(ctx, 0);
        if (in == null) {
            ctx.setOutput(0, t, (int[]) null);
            return;
        }
        if (in.length != g.rank + 2) {
            throw ctx.error("input has rank " + in.length + " but kernel_shape needs rank " + (g.rank + 2));
        }
        Dim[] out = in.clone();
        for (int i = 0; i < g.rank; i++) {
            out[i + 2] = in[i + 2].isKnown() ? Dim.of(MaxUnpoolKernel.defaultSize(g, i, (int) in[i + 2].value()))
                    : Dim.UNKNOWN;
        }
        ctx.setOutput(0, t, out);
    }

    private static int[] unknown(int rank) {
        int[] s = new int[rank];
        Arrays.fill(s, -1);
        return s;
    }
}
