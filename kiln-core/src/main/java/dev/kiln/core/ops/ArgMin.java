package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ArgKernel;

/** ArgMin: index of the minimum along an axis, as int64. Kernel: {@link ArgKernel#ARG_MIN}. */
public final class ArgMin extends ArgOp {
}
