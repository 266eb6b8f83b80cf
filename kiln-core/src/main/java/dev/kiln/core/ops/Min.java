package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.MinKernel;

/**
 * Min: elementwise minimum of any number of inputs with numpy broadcasting; NaN propagates.
 * Kernel: {@link MinKernel}.
 */
public final class Min extends BinaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }
}
