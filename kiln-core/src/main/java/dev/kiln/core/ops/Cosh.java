package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Cosh: hyperbolic cosine. Kernel: {@link ElementwiseKernels}. */
public final class Cosh extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 9;
    }
}
