package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.LeakyReluKernel;

/** LeakyRelu: x where x &gt;= 0, else alpha * x (alpha 0.01 by default). Kernel: {@link LeakyReluKernel}. */
public final class LeakyRelu extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }
}
