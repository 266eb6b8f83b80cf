package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Ceil: smallest integer not below x. Kernel: {@link ElementwiseKernels}. */
public final class Ceil extends UnaryElementwiseOp {
}
