package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.UnaryKernel;

/**
 * Base of one-input, one-output elementwise operators (Relu, Sigmoid, Abs...): the output has the
 * input's type and shape. Kernels: {@link UnaryKernel} and its subclasses.
 */
public abstract class UnaryElementwiseOp extends Op {
    @Override
    public void infer(OpContext ctx) {
        Infer.sameAsInput(ctx, 0, 0);
    }
}
