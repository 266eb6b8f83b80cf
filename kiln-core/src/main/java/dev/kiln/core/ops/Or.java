package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.LogicalKernel;

/** Or: logical or of two bool tensors with numpy broadcasting. Kernel: {@link LogicalKernel}. */
public final class Or extends BinaryElementwiseOp {
}
