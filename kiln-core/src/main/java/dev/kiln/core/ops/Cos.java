package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Cos: cosine. Kernel: {@link ElementwiseKernels}. */
public final class Cos extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 7;
    }
}
