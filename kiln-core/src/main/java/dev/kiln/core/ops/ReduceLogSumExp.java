package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ReduceKernel;

/**
 * ReduceLogSumExp: log(sum(exp(x))), computed stably around the maximum over the given axes (all
 * axes by default). Kernel: {@link ReduceKernel#LOG_SUM_EXP}.
 */
public final class ReduceLogSumExp extends ReduceOp {
}
