package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Acosh: inverse hyperbolic cosine (NaN below 1). Kernel: {@link ElementwiseKernels}. */
public final class Acosh extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 9;
    }
}
