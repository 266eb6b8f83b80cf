package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.IdentityKernel;

import dev.kiln.runtime.tensor.Tensor;

/** Identity: the input, unchanged. Kernel: {@link IdentityKernel}. */
public final class Identity extends Op {
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
}
