package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Round: to the nearest integer, halves to even. Kernel: {@link ElementwiseKernels}. */
public final class Round extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 11;
    }
}
