package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Softplus: log(1 + exp(x)), computed without overflow. Kernel: {@link ElementwiseKernels}. */
public final class Softplus extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }
}
