package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.IsNaNKernel;
import dev.kiln.runtime.tensor.DType;

/** IsNaN: true where x is NaN; float inputs, bool output. Kernel: {@link IsNaNKernel}. */
public final class IsNaN extends Op {
    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, ctx.inputType(0).withDtype(DType.BOOL));
    }
}
