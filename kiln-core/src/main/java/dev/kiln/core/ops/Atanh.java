package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Atanh: inverse hyperbolic tangent (NaN outside [-1, 1]). Kernel: {@link ElementwiseKernels}. */
public final class Atanh extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 9;
    }
}
