package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.SeluKernel;

/**
 * Selu: gamma * x where x &gt; 0, else gamma * alpha * (exp(x) - 1), with the self-normalising defaults.
 * Kernel: {@link SeluKernel}.
 */
public final class Selu extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }
}
