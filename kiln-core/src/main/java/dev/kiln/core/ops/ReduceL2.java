package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ReduceKernel;

/**
 * ReduceL2: the square root of the sum of squares over the given axes (all axes by default).
 * Kernel: {@link ReduceKernel#L2}.
 */
public final class ReduceL2 extends ReduceOp {
}
