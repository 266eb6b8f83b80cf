package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.AbsKernel;

/**
 * Abs: absolute value, every numeric type (integers wrap like C: abs(-128) is -128 in int8).
 * Kernel: {@link AbsKernel}.
 */
public final class Abs extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }
}
