package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.Tensor;

/** Identity: the input, unchanged (shared, not copied). */
public final class Identity extends Op {
    @Override
    public int opcode() {
        return 101;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        Infer.sameAsInput(ctx, 0, 0);
        Tensor c = ctx.constant(0);
        if (c != null) {
            ctx.setOutputConstant(0, c);
        }
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        return (in, ec) -> new Tensor[] {in[0]};
    }
}
