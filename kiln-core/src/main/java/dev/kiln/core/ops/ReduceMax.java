package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.ReduceKernel;

/**
 * ReduceMax: the maximum (NaN only when it comes first, like ONNX Runtime) over the given axes
 * (all axes by default). Kernel: {@link ReduceKernel#MAX}.
 */
public final class ReduceMax extends ReduceOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }
}
