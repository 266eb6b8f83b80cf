package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Asinh: inverse hyperbolic sine. Kernel: {@link ElementwiseKernels}. */
public final class Asinh extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 9;
    }
}
