package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.GeluKernel;

/**
 * Gelu (opset 20): x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2))), or with {@code approximate="tanh"}
 * 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))).
 * Kernel: {@link GeluKernel}.
 */
public final class Gelu extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    public int minOpset() {
        return 20;
    }
}
