package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeKernel;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Shape: the input's dimensions as a 1-D int64 tensor; from opset 15 only dims [start, end). Known
 * dims make the output a constant, which is what lets Shape→Gather→Concat→Reshape chains fold to
 * static shapes. Kernel: {@link ShapeKernel}.
 */
public final class Shape extends Op {
    @Override
    public void infer(OpContext ctx) {
        Dim[] dims = Infer.dims(ctx, 0);
        if (dims == null) {
            ctx.setOutput(0, DType.INT64, new int[] {-1});
            return;
        }
        int[] r = ShapeKernel.range(ShapeKernel.bounds(ctx), dims.length);
        long[] v = new long[r[1] - r[0]];
        boolean known = true;
        for (int i = 0; i < v.length; i++) {
            Dim d = dims[r[0] + i];
            known &= d.isKnown();
            v[i] = d.value();
        }
        if (known) {
            ctx.setOutputConstant(0, Tensor.vector(v));
        } else {
            ctx.setOutput(0, DType.INT64, new int[] {v.length});
        }
    }
}
