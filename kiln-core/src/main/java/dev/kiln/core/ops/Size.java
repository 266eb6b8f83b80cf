package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.movement.SizeKernel;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Size: the input's element count as an int64 scalar (a constant when the input shape is static).
 * Kernel: {@link SizeKernel}.
 */
public final class Size extends Op {
    @Override
    public void infer(OpContext ctx) {
        int[] s = ctx.inputShape(0);
        if (ShapeArgs.isStatic(s)) {
            ctx.setOutputConstant(0, Tensor.scalarLong(ShapeArgs.knownProduct(s, 0, s.length)));
        } else {
            ctx.setOutput(0, DType.INT64, new int[0]);
        }
    }
}
