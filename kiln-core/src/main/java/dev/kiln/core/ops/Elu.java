package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.EluKernel;

/** Elu: x where x &gt;= 0, else alpha * (exp(x) - 1) (alpha 1 by default). Kernel: {@link EluKernel}. */
public final class Elu extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }
}
