package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.PReluKernel;

/**
 * PRelu: x where x &gt; 0, else slope * x; the slope broadcasts to x (unidirectionally from opset 7;
 * like ONNX Runtime, any numpy-compatible slope is accepted). Opset 1-6 took a 1-D slope per
 * channel (axis 1).
 * Kernel: {@link PReluKernel}.
 */
public final class PRelu extends BinaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] x = ctx.inputShape(0);
        int[] s = ctx.inputShape(1);
        if (x != null && s != null && ctx.opset() < 7) {
            s = PReluKernel.legacySlopeShape(x, s);
        }
        int[] out = Infer.broadcast(x, s);
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }
}
