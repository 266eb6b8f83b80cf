package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.SoftmaxKernel;

/**
 * Softmax: exp(x - max) / sum(exp(x - max)) along an axis (see {@link SoftmaxKernel} for the
 * opset-dependent axis rules). Kernel: {@link SoftmaxKernel#SOFTMAX}.
 */
public final class Softmax extends SoftmaxOp {
}
