package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.TanhKernel;

/** Tanh: hyperbolic tangent. Kernel: {@link TanhKernel}. */
public final class Tanh extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }
}
