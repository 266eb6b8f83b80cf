package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.CumSumKernel;

import dev.kiln.runtime.tensor.DType;

/**
 * CumSum: running sums along the axis given by the scalar second input, optionally exclusive
 * (each output leaves out its own element) and/or reversed. Float types accumulate in float32
 * in order, like ONNX Runtime; double in double; integers in long (wrapping to the type).
 * Kernel: {@link CumSumKernel}.
 */
public final class CumSum extends Op {
    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && (t == DType.BOOL || !(t.isFloatingPoint() || t.isInteger()))) {
            throw ctx.error("does not accept " + t + " tensors");
        }
        Infer.sameAsInput(ctx, 0, 0);
    }
}
