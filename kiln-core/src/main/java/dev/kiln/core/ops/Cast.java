package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.CastKernel;

/**
 * Cast: converts to the element type {@code to}, between any two numeric or bool types. Kernel:
 * {@link CastKernel}.
 */
public final class Cast extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, ctx.inputType(0).withDtype(CastKernel.target(ctx)));
    }
}
