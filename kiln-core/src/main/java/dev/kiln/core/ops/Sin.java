package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Sin: sine. Kernel: {@link ElementwiseKernels}. */
public final class Sin extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 7;
    }
}
