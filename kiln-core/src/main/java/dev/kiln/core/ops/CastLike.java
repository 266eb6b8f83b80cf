package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/** CastLike (opset 15): Cast to the element type of the second input (whose values are ignored). */
public final class CastLike extends Op {
    @Override
    public int opcode() {
        return 100;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public int minOpset() {
        return 15;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, ctx.inputType(0).withDtype(ctx.inputDtype(1)));
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        Cast.checkSource(ctx, ctx.inputDtype(0));
        DType to = ctx.inputDtype(1);
        if (to == DType.STRING) {
            throw ctx.error("casting to string tensors is not supported");
        }
        return (in, ec) -> new Tensor[] {Cast.convert(in[0], in[1].dtype())};
    }
}
