package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.DivKernel;

/** Div: a / b with numpy broadcasting; integer division truncates toward zero like C. Kernel: {@link DivKernel}. */
public final class Div extends BinaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.FLOAT_ONLY;
    }
}
