package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.SoftmaxKernel;

/**
 * Hardmax: 1 at the first maximum, 0 elsewhere along an axis (see {@link SoftmaxKernel} for the
 * opset-dependent axis rules). Kernel: {@link SoftmaxKernel#HARDMAX}.
 */
public final class Hardmax extends SoftmaxOp {
}
