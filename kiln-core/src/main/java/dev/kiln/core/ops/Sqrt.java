package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Sqrt: square root (NaN below 0). Kernel: {@link ElementwiseKernels}. */
public final class Sqrt extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }
}
