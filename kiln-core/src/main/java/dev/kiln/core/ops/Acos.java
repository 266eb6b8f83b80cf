package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Acos: arccosine (NaN outside [-1, 1]). Kernel: {@link ElementwiseKernels}. */
public final class Acos extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 7;
    }
}
