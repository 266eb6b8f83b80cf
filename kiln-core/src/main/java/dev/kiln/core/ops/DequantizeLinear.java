package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.DequantizeLinearKernel;

import dev.kiln.runtime.tensor.DType;

/**
 * DequantizeLinear: {@code y = (x - x_zero_point) * x_scale}, computed in float32.
 *
 * <p>Opset 10: per-tensor, int8/uint8/int32 input; 13: per-axis ({@code axis}); 19: float16 and
 * bfloat16 scales, the output taking the scale's type (rounded from float32, as ONNX Runtime
 * does); 21: blocked quantization ({@code block_size}) and int16/uint16 inputs. int32 inputs have
 * no zero point (or an all-zero one, which ONNX Runtime enforces). float8 and 4-bit inputs are
 * not supported.
 *
 * <p>Kernel: {@link DequantizeLinearKernel}.
 */
public final class DequantizeLinear extends Op {
    @Override
    public int minOpset() {
        return 10;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, outputType(ctx, ctx.inputDtype(1)), Infer.dims(ctx, 0));
    }

    /** FLOAT before opset 19; afterwards the scale's type (null while unknown). */
    private static DType outputType(OpContext ctx, DType scale) {
        if (ctx.opset() < 19) {
            return DType.FLOAT;
        }
        if (scale != null && !scale.isFloatStorage()) {
            throw ctx.error("x_scale must be float, float16 or bfloat16, found " + scale);
        }
        return scale;
    }
}
