package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.GreaterOrEqualKernel;

/**
 * GreaterOrEqual: {@code a >= b} elementwise with numpy broadcasting; bool output.
 * Kernel: {@link GreaterOrEqualKernel}.
 */
public final class GreaterOrEqual extends BinaryElementwiseOp {
    @Override
    public int minOpset() {
        return 12;
    }
}
