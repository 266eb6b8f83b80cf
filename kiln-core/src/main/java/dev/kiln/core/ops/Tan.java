package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Tan: tangent. Kernel: {@link ElementwiseKernels}. */
public final class Tan extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 7;
    }
}
