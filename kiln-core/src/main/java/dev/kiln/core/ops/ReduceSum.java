package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ReduceKernel;

/** ReduceSum: the sum over the given axes (all axes by default). Kernel: {@link ReduceKernel#SUM}. */
public final class ReduceSum extends ReduceOp {
}
