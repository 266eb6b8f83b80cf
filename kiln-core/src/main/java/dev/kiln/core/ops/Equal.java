package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.EqualKernel;

/** Equal: {@code a == b} elementwise with numpy broadcasting; bool output. Kernel: {@link EqualKernel}. */
public final class Equal extends BinaryElementwiseOp {
}
