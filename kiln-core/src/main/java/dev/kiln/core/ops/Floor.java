package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ElementwiseKernels;

/** Floor: largest integer not above x. Kernel: {@link ElementwiseKernels}. */
public final class Floor extends UnaryElementwiseOp {
}
