package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Log: natural logarithm (NaN below 0, -inf at 0). Kernel: {@link ElementwiseKernels}. */
public final class Log extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }
}
