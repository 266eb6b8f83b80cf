package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Asin: arcsine (NaN outside [-1, 1]). Kernel: {@link ElementwiseKernels}. */
public final class Asin extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 7;
    }
}
