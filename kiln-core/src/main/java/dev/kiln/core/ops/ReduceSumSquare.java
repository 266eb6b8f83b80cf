package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ReduceKernel;

/**
 * ReduceSumSquare: the sum of squares over the given axes (all axes by default). Kernel: {@link
 * ReduceKernel#SUM_SQUARE}.
 */
public final class ReduceSumSquare extends ReduceOp {
}
