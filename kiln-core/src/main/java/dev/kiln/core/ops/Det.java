package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.DetKernel;

import dev.kiln.runtime.tensor.DType;

import java.util.Arrays;

/**
 * Det: the determinant of each square matrix in the trailing two dimensions of x [*, M, M],
 * giving a tensor of shape [*]. Computed by LU decomposition with partial pivoting in double.
 * Kernel: {@link DetKernel}.
 */
public final class Det extends Op {
    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && !t.isFloatingPoint()) {
            throw ctx.error("expects a floating-point input, found " + t);
        }
        int[] shape = ctx.inputShape(0);
        if (shape == null) {
            ctx.setOutput(0, t, (int[]) null);
            return;
        }
        if (shape.length < 2) {
            throw ctx.error("input must have rank >= 2 ([*, M, M]), found rank " + shape.length);
        }
        int m = shape[shape.length - 1], m2 = shape[shape.length - 2];
        if (m >= 0 && m2 >= 0 && m != m2) {
            throw ctx.error("the last two dimensions must be equal (square matrices), found " + m2 + " x " + m);
        }
        ctx.setOutput(0, t, Arrays.copyOf(shape, shape.length - 2));
    }
}
