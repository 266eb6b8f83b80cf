package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Sinh: hyperbolic sine. Kernel: {@link ElementwiseKernels}. */
public final class Sinh extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 9;
    }
}
