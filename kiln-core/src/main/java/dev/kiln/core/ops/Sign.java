package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.SignKernel;

/** Sign: -1, 0 or 1 by the sign of x (NaN stays NaN), every numeric type. Kernel: {@link SignKernel}. */
public final class Sign extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    public int minOpset() {
        return 9;
    }
}
