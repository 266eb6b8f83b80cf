package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.movement.SplitKernel;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Split: cuts the input along axis into the node's outputs. Sizes come from split (an attribute
 * before opset 13, an optional input since), else from num_outputs (opset 18: chunks of
 * ceil(dim / n), the last one smaller), else equal parts. Kernel: {@link SplitKernel}.
 */
public final class Split extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        int outputs = ctx.outputCount();
        long numOutputs = SplitKernel.numOutputsAttr(ctx, outputs);
        Dim[] dims = Infer.dims(ctx, 0);
        if (dims == null) {
            for (int i = 0; i < outputs; i++) {
                ctx.setOutput(i, ctx.inputDtype(0), (int[]) null);
            }
            return;
        }
        int axis = ShapeArgs.axis(ctx.attrs().getInt("axis", 0), dims.length, "axis");
        long[] split = SplitKernel.splitAttr(ctx);
        boolean known = dims[axis].isKnown();
        if (SplitKernel.splitFromInput(ctx)) {
            Tensor c = ctx.constant(1);
            known &= c != null;
            split = c == null ? null : ShapeArgs.longs(c, "split");
        }
        int[] sizes = known ? SplitKernel.sizes(split, numOutputs, (int) dims[axis].value(), outputs) : null;
        for (int i = 0; i < outputs; i++) {
            Dim[] d = dims.clone();
            d[axis] = sizes != null ? Dim.of(sizes[i]) : split != null && split.length == outputs ? Dim.of(split[i]) : Dim.UNKNOWN;
            ctx.setOutput(i, ctx.inputDtype(0), d);
        }
    }
}
