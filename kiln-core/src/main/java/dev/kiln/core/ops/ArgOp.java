package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ArgKernel;
import dev.kiln.runtime.ops.norm.Reduction;

import dev.kiln.runtime.tensor.DType;

/**
 * Base of ArgMax and ArgMin: the int64 index of the extreme element along one axis (attributes
 * axis = 0, keepdims = 1); the output drops or keeps that axis. Kernel: {@link ArgKernel}.
 */
abstract class ArgOp extends Op {
    @Override
    public void infer(OpContext ctx) {
        int[] shape = ctx.inputShape(0);
        if (shape == null) {
            ctx.setOutput(0, DType.INT64, (int[]) null);
            return;
        }
        int axis = axis(ctx, shape.length);
        boolean keepdims = ctx.attrs().getInt("keepdims", 1) != 0;
        ctx.setOutput(0, DType.INT64, Reduction.reducedShape(shape, Reduction.oneAxis(axis, shape.length), keepdims));
    }

    private static int axis(OpContext ctx, int rank) {
        long a = ctx.attrs().getInt("axis", 0);
        if (a < -rank || a >= rank) {
            throw ctx.error("axis " + a + " is out of range for an input of rank " + rank);
        }
        return (int) (a < 0 ? a + rank : a);
    }
}
