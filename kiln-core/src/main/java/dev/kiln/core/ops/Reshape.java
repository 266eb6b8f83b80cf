package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ReshapeKernel;
import dev.kiln.runtime.ops.movement.ShapeArgs;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Reshape: the same elements under a new shape; 0 copies the input's dim (unless allowzero=1) and
 * one -1 is inferred. Opsets before 5 gave the shape as an attribute. Kernel: {@link ReshapeKernel}.
 */
public final class Reshape extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        boolean allowZero = ctx.attrs().getInt("allowzero", 0) != 0;
        long[] spec = ReshapeKernel.attributeShape(ctx);
        Tensor st = ctx.opset() < 5 ? null : ctx.constant(1);
        if (st != null) {
            spec = ShapeArgs.longs(st, "shape");
        }
        if (spec == null) {
            int[] ss = ctx.inputShape(1);
            ctx.setOutput(0, ctx.inputDtype(0), ss != null && ss.length == 1 && ss[0] >= 0 ? unknown(ss[0]) : null);
            return;
        }
        Dim[] inDims = Infer.dims(ctx, 0);
        int[] out = ReshapeKernel.outputShape(spec, ctx.inputShape(0), allowZero);
        Dim[] dims = new Dim[out.length];
        for (int i = 0; i < dims.length; i++) {
            if (out[i] >= 0) {
                dims[i] = Dim.of(out[i]);
            } else {
                dims[i] = spec[i] == 0 && !allowZero && inDims != null ? inDims[i] : Dim.UNKNOWN;
            }
        }
        ctx.setOutput(0, ctx.inputDtype(0), dims);
    }

    private static int[] unknown(int rank) {
        int[] s = new int[rank];
        Arrays.fill(s, -1);
        return s;
    }
}
