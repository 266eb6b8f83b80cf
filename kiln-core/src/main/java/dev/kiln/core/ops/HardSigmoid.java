package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.HardSigmoidKernel;

/**
 * HardSigmoid: max(0, min(1, alpha * x + beta)); alpha 0.2 and beta 0.5 by default.
 * Kernel: {@link HardSigmoidKernel}.
 */
public final class HardSigmoid extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }
}
