package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.LogicalKernel;

/** Xor: logical exclusive or of two bool tensors with numpy broadcasting. Kernel: {@link LogicalKernel}. */
public final class Xor extends BinaryElementwiseOp {
}
