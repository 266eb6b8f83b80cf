package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ShrinkKernel;

/**
 * Shrink: x + bias where x &lt; -lambd, x - bias where x &gt; lambd, else 0 (bias 0, lambd 0.5 by
 * default). Every numeric type; integer results are computed in floating point and truncated.
 * Kernel: {@link ShrinkKernel}.
 */
public final class Shrink extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 9;
    }
}
