package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ReduceKernel;

/** ReduceProd: the product over the given axes (all axes by default). Kernel: {@link ReduceKernel#PROD}. */
public final class ReduceProd extends ReduceOp {
}
