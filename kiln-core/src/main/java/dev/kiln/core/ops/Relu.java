package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ReluKernel;

/** Relu: max(x, 0); NaN stays NaN. Signed integers from opset 14. Kernel: {@link ReluKernel}. */
public final class Relu extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }
}
