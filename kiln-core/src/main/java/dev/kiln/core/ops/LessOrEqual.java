package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.LessOrEqualKernel;

/** LessOrEqual: {@code a <= b} elementwise with numpy broadcasting; bool output. Kernel: {@link LessOrEqualKernel}. */
public final class LessOrEqual extends BinaryElementwiseOp {
    @Override
    public int minOpset() {
        return 12;
    }
}
