package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.SubKernel;

/** Sub: a - b with numpy broadcasting. Kernel: {@link SubKernel}. */
public final class Sub extends BinaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }
}
