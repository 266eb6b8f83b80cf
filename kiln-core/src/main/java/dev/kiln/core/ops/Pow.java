package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.Elementwise;
import dev.kiln.runtime.ops.elementwise.PowKernel;

/**
 * Pow: base ^ exponent with numpy broadcasting; the output has the base's type. From opset 12 the
 * exponent may have another numeric type. Computed in double precision and stored like a C cast of
 * {@code std::pow}'s result (integer results truncate).
 * Kernel: {@link PowKernel}.
 */
public final class Pow extends Op {
    @Override
    public void infer(OpContext ctx) {
        int[] a = ctx.inputShape(0);
        int[] b = ctx.inputShape(1);
        int axis = Elementwise.legacyAxis(ctx);
        if (a != null && b != null) {
            b = Elementwise.legacyShape(b, a.length, axis);
        }
        ctx.setOutput(0, ctx.inputDtype(0), Infer.broadcast(a, b));
    }
}
