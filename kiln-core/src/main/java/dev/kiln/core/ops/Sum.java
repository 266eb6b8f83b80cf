package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.SumKernel;

/** Sum: elementwise sum of any number of inputs with numpy broadcasting. Kernel: {@link SumKernel}. */
public final class Sum extends BinaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }
}
