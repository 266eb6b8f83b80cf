package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ReduceKernel;
import dev.kiln.runtime.ops.norm.Reduction;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Base of the Reduce* operators: infers the output shape from the axes (an attribute before the
 * kernel's {@link ReduceKernel#axesInputOpset()}, the optional second input from then on),
 * keepdims and noop_with_empty_axes. Kernel: {@link ReduceKernel}.
 */
abstract class ReduceOp extends Op {
    private ReduceKernel reduction() {
        return (ReduceKernel) kernels();
    }

    /** The axes known before running: null when they are a non-constant input; empty when absent. */
    private long[] staticAxes(OpContext ctx) {
        if (!reduction().axesFromInput(ctx)) {
            return ctx.attrs().getInts("axes", new long[0]);
        }
        if (!ctx.hasInput(1)) {
            return new long[0];
        }
        Tensor c = ctx.constant(1);
        return c == null ? null : c.toLongArray();
    }

    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        int[] shape = ctx.inputShape(0);
        boolean keepdims = ctx.attrs().getInt("keepdims", 1) != 0;
        long[] axes = staticAxes(ctx);
        if (shape == null) {
            ctx.setOutput(0, t, (int[]) null);
            return;
        }
        if (axes == null) {
            if (!keepdims) {
                ctx.setOutput(0, t, (int[]) null);
                return;
            }
            int[] out = new int[shape.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = shape[i] == 1 ? 1 : -1;
            }
            ctx.setOutput(0, t, out);
            return;
        }
        if (axes.length == 0 && reduction().noopWithEmptyAxes(ctx)) {
            Infer.sameAsInput(ctx, 0, 0);
            return;
        }
        boolean[] mask;
        try {
            mask = axes.length == 0 ? Reduction.allAxes(shape.length) : Reduction.axesMask(axes, shape.length);
        } catch (IllegalArgumentException e) {
            throw ctx.error(e.getMessage());
        }
        ctx.setOutput(0, t, Reduction.reducedShape(shape, mask, keepdims));
    }
}
