package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ConstantOfShapeKernel;
import dev.kiln.runtime.ops.movement.ShapeArgs;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * ConstantOfShape: a tensor of the shape given by the input (1-D int64; empty means a scalar),
 * every element the value attribute's single element. Kernel: {@link ConstantOfShapeKernel}.
 */
public final class ConstantOfShape extends Op {
    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    public void infer(OpContext ctx) {
        DType dtype = ConstantOfShapeKernel.value(ctx).dtype();
        Tensor c = ctx.constant(0);
        if (c != null) {
            ctx.setOutput(0, dtype, ShapeArgs.shape(c));
            return;
        }
        int[] ss = ctx.inputShape(0);
        if (ss != null && ss.length == 1 && ss[0] >= 0) {
            int[] unknown = new int[ss[0]];
            Arrays.fill(unknown, -1);
            ctx.setOutput(0, dtype, unknown);
        } else {
            ctx.setOutput(0, dtype, (int[]) null);
        }
    }
}
