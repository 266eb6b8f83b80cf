package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.AddKernel;

/** Add: a + b with numpy broadcasting. Kernel: {@link AddKernel}. */
public final class Add extends BinaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }
}
