package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.LessKernel;

/** Less: {@code a < b} elementwise with numpy broadcasting; bool output. Kernel: {@link LessKernel}. */
public final class Less extends BinaryElementwiseOp {
}
