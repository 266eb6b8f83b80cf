package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.TopKKernel;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * TopK: the k largest (or, from opset 11 with largest = 0, smallest) elements along {@code axis}
 * (default -1) and their int64 indices. k is an attribute before opset 10 and a one-element input
 * from then on. Equal values keep the lower index first, like ONNX Runtime; results are always
 * sorted (sorted = 0 leaves the order unspecified, so sorted order is valid).
 * Kernel: {@link TopKKernel}.
 */
public final class TopK extends Op {
    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        int[] shape = ctx.inputShape(0);
        int[] out = null;
        if (shape != null) {
            long a = ctx.attrs().getInt("axis", -1);
            if (a < -shape.length || a >= shape.length) {
                throw ctx.error("axis " + a + " is out of range for an input of rank " + shape.length);
            }
            int axis = (int) (a < 0 ? a + shape.length : a);
            out = shape.clone();
            long k = staticK(ctx);
            if (k >= 0 && shape[axis] >= 0 && k > shape[axis]) {
                throw ctx.error("k = " + k + " is larger than the axis dimension " + shape[axis]);
            }
            out[axis] = k < 0 ? -1 : (int) k;
        }
        ctx.setOutput(0, t, out);
        ctx.setOutput(1, DType.INT64, out);
    }

    /** k when known before running, else -1. */
    private static long staticK(OpContext ctx) {
        if (ctx.opset() < 10) {
            return ctx.attrs().getInt("k", -1);
        }
        Tensor c = ctx.constant(1);
        return c == null ? -1 : TopKKernel.kValue(c);
    }
}
