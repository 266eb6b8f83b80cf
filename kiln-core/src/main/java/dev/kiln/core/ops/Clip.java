package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ClipKernel;

/**
 * Clip: min(max(x, lo), hi). Bounds are attributes {@code min}/{@code max} before opset 11 and
 * optional scalar inputs from opset 11 (integer types from opset 12). A missing bound is the type's
 * lowest/highest finite value, as in ONNX Runtime (so infinities are clipped to the finite range).
 * When lo &gt; hi every element becomes hi.
 * Kernel: {@link ClipKernel}.
 */
public final class Clip extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        Infer.sameAsInput(ctx, 0, 0);
    }
}
