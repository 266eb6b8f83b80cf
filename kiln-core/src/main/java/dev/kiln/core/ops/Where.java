package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.WhereKernel;
import dev.kiln.runtime.tensor.DType;

/**
 * Where: X where condition is true, else Y; the three inputs broadcast together (numpy rules).
 * Kernel: {@link WhereKernel}.
 */
public final class Where extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(1) != null ? ctx.inputDtype(1) : ctx.inputDtype(2);
        ctx.setOutput(0, t, Infer.broadcast(ctx.inputShape(0), ctx.inputShape(1), ctx.inputShape(2)));
    }
}
