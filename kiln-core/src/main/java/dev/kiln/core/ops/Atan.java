package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Atan: arctangent. Kernel: {@link ElementwiseKernels}. */
public final class Atan extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 7;
    }
}
