package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Mish: x * tanh(softplus(x)). Kernel: {@link ElementwiseKernels}. */
public final class Mish extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    public int minOpset() {
        return 18;
    }
}
