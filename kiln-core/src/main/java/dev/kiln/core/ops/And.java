package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.LogicalKernel;

/** And: logical and of two bool tensors with numpy broadcasting. Kernel: {@link LogicalKernel}. */
public final class And extends BinaryElementwiseOp {
}
