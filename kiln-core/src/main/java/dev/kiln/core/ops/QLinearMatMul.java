package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.QLinearMatMulKernel;

import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;

/**
 * QLinearMatMul: a numpy-style matrix product of quantized tensors. The int32 accumulator
 * {@code sum((a - a_zp[i]) * (b - b_zp[j]))} is requantized with
 * {@code M = a_scale[i] * b_scale[j] / y_scale} in float32 (see {@link QuantMath#requantize}).
 *
 * <p>Opset 10: int8/uint8 operands and float scales; 21: float16/bfloat16 scales (float8 operands
 * are not supported). a's parameters are per tensor or per row (1-D of length M, or a's shape
 * with last dim 1), b's per tensor or per column (1-D of length N, or b's shape with
 * second-to-last dim 1); ONNX Runtime accepts only per-tensor a parameters.
 *
 * <p>Kernel: {@link QLinearMatMulKernel}.
 */
public final class QLinearMatMul extends Op {
    @Override
    public int minOpset() {
        return 10;
    }

    @Override
    public void infer(OpContext ctx) {
        DType y = ctx.hasInput(7) ? ctx.inputDtype(7) : null;
        ctx.setOutput(0, y, MatMulInteger.inferMatMulShape(ctx.inputShape(0), ctx.inputShape(3)));
    }
}
