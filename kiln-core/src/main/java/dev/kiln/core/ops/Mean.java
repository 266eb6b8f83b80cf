package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.MeanKernel;

/**
 * Mean: elementwise mean of any number of float inputs with numpy broadcasting (sum, then times 1/n).
 * Kernel: {@link MeanKernel}.
 */
public final class Mean extends BinaryElementwiseOp {
}
