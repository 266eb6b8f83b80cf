package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.DropoutKernel;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Dropout in inference mode: the output is the input, and the optional mask is all true from opset
 * 12 (all false before, of the input's type before opset 10, bool after). Kernel: {@link DropoutKernel}.
 */
public final class Dropout extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        Infer.sameAsInput(ctx, 0, 0);
        if (ctx.outputCount() > 1) {
            DType t = ctx.opset() < 10 ? ctx.inputDtype(0) : DType.BOOL;
            ctx.setOutput(1, ctx.inputType(0).withDtype(t));
        }
        Tensor c = ctx.constant(0);
        if (c != null && ctx.outputCount() == 1) {
            ctx.setOutputConstant(0, c);
        }
    }
}
