package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ArgKernel;

/** ArgMax: index of the maximum along an axis, as int64. Kernel: {@link ArgKernel#ARG_MAX}. */
public final class ArgMax extends ArgOp {
}
