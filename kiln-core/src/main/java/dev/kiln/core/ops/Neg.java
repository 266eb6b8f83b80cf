package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.NegKernel;

/** Neg: -x, floats and signed integers (wrapping). Kernel: {@link NegKernel}. */
public final class Neg extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }
}
