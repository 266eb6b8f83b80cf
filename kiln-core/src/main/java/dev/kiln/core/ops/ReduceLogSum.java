package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ReduceKernel;

/** ReduceLogSum: log(sum(x)) over the given axes (all axes by default). Kernel: {@link ReduceKernel#LOG_SUM}. */
public final class ReduceLogSum extends ReduceOp {
}
