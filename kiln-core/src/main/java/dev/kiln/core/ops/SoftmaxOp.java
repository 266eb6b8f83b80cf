package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.SoftmaxKernel;

import dev.kiln.runtime.tensor.DType;

/**
 * Base of Softmax, LogSoftmax and Hardmax: a floating-point input, normalized along an axis whose
 * default depends on the opset (see {@link SoftmaxKernel}); the output has the input's type and
 * shape.
 */
abstract class SoftmaxOp extends Op {
    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && !t.isFloatingPoint()) {
            throw ctx.error(type() + " expects a floating-point input, found " + t);
        }
        int[] shape = ctx.inputShape(0);
        if (shape != null) {
            long a = SoftmaxKernel.axis(ctx);
            if (a < -shape.length || a >= Math.max(shape.length, 1)) {
                throw ctx.error("axis " + a + " is out of range for an input of rank " + shape.length);
            }
        }
        Infer.sameAsInput(ctx, 0, 0);
    }
}
