package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.LayerNormalizationKernel;

import dev.kiln.runtime.tensor.DType;

import java.util.Arrays;

/**
 * LayerNormalization (opset 17): each row of the trailing dimensions {@code shape[axis:]} is
 * normalized, {@code y = (x - mean) / sqrt(var + epsilon) * Scale + B}, with Scale and B
 * broadcastable to the normalized shape. The optional outputs Mean and InvStdDev have shape
 * {@code shape[:axis] + [1] * (rank - axis)} and the element type named by stash_type (float).
 * Kernel: {@link LayerNormalizationKernel}.
 */
public final class LayerNormalization extends Op {
    @Override
    public int minOpset() {
        return 17;
    }

    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && !t.isFloatingPoint()) {
            throw ctx.error("expects a floating-point input, found " + t);
        }
        DType stash = LayerNormalizationKernel.stashType(ctx);
        Infer.sameAsInput(ctx, 0, 0);
        int[] shape = ctx.inputShape(0);
        int[] statShape = null;
        if (shape != null) {
            int axis = axis(ctx, shape.length);
            statShape = shape.clone();
            Arrays.fill(statShape, axis, shape.length, 1);
        }
        ctx.setOutput(1, stash, statShape);
        ctx.setOutput(2, stash, statShape);
    }

    private static int axis(OpContext ctx, int rank) {
        long a = ctx.attrs().getInt("axis", -1);
        if (a < -rank || a >= rank) {
            throw ctx.error("axis " + a + " is out of range for an input of rank " + rank);
        }
        return (int) (a < 0 ? a + rank : a);
    }
}
