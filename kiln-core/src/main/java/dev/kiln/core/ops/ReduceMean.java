package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ReduceKernel;

/** ReduceMean: the arithmetic mean over the given axes (all axes by default). Kernel: {@link ReduceKernel#MEAN}. */
public final class ReduceMean extends ReduceOp {
}
