package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.MaxKernel;

/**
 * Max: elementwise maximum of any number of inputs with numpy broadcasting; NaN propagates.
 * Kernel: {@link MaxKernel}.
 */
public final class Max extends BinaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }
}
