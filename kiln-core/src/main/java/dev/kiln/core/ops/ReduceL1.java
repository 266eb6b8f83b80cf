package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ReduceKernel;

/** ReduceL1: the sum of absolute values over the given axes (all axes by default). Kernel: {@link ReduceKernel#L1}. */
public final class ReduceL1 extends ReduceOp {
}
