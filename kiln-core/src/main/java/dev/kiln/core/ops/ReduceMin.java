package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ReduceKernel;

/**
 * ReduceMin: the minimum (NaN only when it comes first, like ONNX Runtime) over the given axes
 * (all axes by default). Kernel: {@link ReduceKernel#MIN}.
 */
public final class ReduceMin extends ReduceOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }
}
