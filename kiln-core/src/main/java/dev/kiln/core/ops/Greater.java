package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.GreaterKernel;

/** Greater: {@code a > b} elementwise with numpy broadcasting; bool output. Kernel: {@link GreaterKernel}. */
public final class Greater extends BinaryElementwiseOp {
}
