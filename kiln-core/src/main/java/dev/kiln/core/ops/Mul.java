package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.MulKernel;

/** Mul: a * b with numpy broadcasting. Kernel: {@link MulKernel}. */
public final class Mul extends BinaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }
}
