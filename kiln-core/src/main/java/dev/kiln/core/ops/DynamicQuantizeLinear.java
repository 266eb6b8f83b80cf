package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.DynamicQuantizeLinearKernel;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;

/**
 * DynamicQuantizeLinear (opset 11): uint8 quantization with a scale and zero point computed from
 * the input's range, which is widened to include 0. The scale is {@code (max - min) / 255} and the
 * zero point {@code round_half_to_even(clamp(-min / scale, 0, 255))}, both in float32; an all-zero
 * input gets scale 1 (ONNX Runtime's choice where the ONNX formula divides by zero). NaN inputs
 * are ignored when finding the range.
 *
 * <p>Kernel: {@link DynamicQuantizeLinearKernel}.
 */
public final class DynamicQuantizeLinear extends Op {
    @Override
    public int minOpset() {
        return 11;
    }

    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && t != DType.FLOAT) {
            throw ctx.error("input must be float32, found " + t);
        }
        ctx.setOutput(0, DType.UINT8, Infer.dims(ctx, 0));
        ctx.setOutput(1, DType.FLOAT, Shapes.SCALAR);
        ctx.setOutput(2, DType.UINT8, Shapes.SCALAR);
    }
}
