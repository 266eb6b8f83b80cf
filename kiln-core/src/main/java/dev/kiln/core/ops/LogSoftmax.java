package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.SoftmaxKernel;

/**
 * LogSoftmax: x - max - log(sum(exp(x - max))) along an axis (see {@link SoftmaxKernel} for the
 * opset-dependent axis rules). Kernel: {@link SoftmaxKernel#LOG_SOFTMAX}.
 */
public final class LogSoftmax extends SoftmaxOp {
}
