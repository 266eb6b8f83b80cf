package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.NotKernel;

/** Not: logical negation of a bool tensor. Kernel: {@link NotKernel}. */
public final class Not extends UnaryElementwiseOp {
}
