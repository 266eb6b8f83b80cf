package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ThresholdedReluKernel;

/** ThresholdedRelu: x where x &gt; alpha, else 0 (alpha 1 by default). Kernel: {@link ThresholdedReluKernel}. */
public final class ThresholdedRelu extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 10;
    }
}
