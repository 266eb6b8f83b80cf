package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.IsInfKernel;
import dev.kiln.runtime.tensor.DType;

/**
 * IsInf: true where x is +inf (when detect_positive) or -inf (when detect_negative); bool output.
 * Kernel: {@link IsInfKernel}.
 */
public final class IsInf extends Op {
    @Override
    public int minOpset() {
        return 10;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, ctx.inputType(0).withDtype(DType.BOOL));
    }
}
