package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.SigmoidKernel;

/**
 * Sigmoid: 1 / (1 + exp(-x)); float32 through the runtime's vectorised exp (about 1 ulp).
 * Kernel: {@link SigmoidKernel}.
 */
public final class Sigmoid extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }
}
