package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.QuantizeLinearKernel;

import dev.kiln.runtime.quant.QuantMath;

/**
 * QuantizeLinear: {@code y = saturate(round_half_to_even(x / y_scale) + y_zero_point)}.
 *
 * <p>Opset 10: per-tensor; 13: per-axis ({@code axis}); 19: float16/bfloat16 inputs (the scale
 * has x's type), {@code saturate} (float8 only, so ignored here); 21: blocked quantization
 * ({@code block_size}), {@code output_dtype}, int16/uint16 outputs. Without a zero point the output
 * is uint8 (or {@code output_dtype}). float8 and 4-bit outputs are not supported.
 *
 * <p>Float inputs are divided by the scale in float32 and rounded half to even, as ONNX Runtime's
 * MLAS kernel does for float32 (NaN → lowest value, ±inf saturate; see {@link QuantMath}). Two
 * ONNX Runtime 1.24 paths differ and Kiln follows the spec instead: float16 inputs, which ORT
 * truncates toward zero (1.5 → 1) and whose infinities it maps to the lowest value, and blocked
 * quantization along a non-last axis, where ORT also maps +inf to the lowest value. int32 inputs
 * are divided in double, as the ONNX reference does.
 *
 * <p>Kernel: {@link QuantizeLinearKernel}.
 */
public final class QuantizeLinear extends Op {
    @Override
    public int minOpset() {
        return 10;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, QuantizeLinearKernel.outputType(ctx), Infer.dims(ctx, 0));
    }
}
