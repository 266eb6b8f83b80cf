package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.IntConvGeometry;
import dev.kiln.runtime.ops.nn.QLinearConvKernel;

import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;

/**
 * QLinearConv (opset 10): a convolution of quantized tensors. The int32 accumulator
 * {@code acc = sum((x - x_zp) * (w - w_zp[m])) + B[m]} is requantized per output channel with
 * {@code M[m] = x_scale * w_scale[m] / y_scale} in float32 (see {@link QuantMath#requantize}).
 *
 * <p>x, w and y are int8 or uint8 in any combination; w_scale and w_zero_point are scalars or
 * one per output channel (ONNX Runtime additionally requires per-channel zero points to be
 * equal; Kiln does not); padding reads the input zero point, i.e. contributes nothing. The
 * geometry attributes are Conv's ({@link IntConvGeometry}).
 *
 * <p>Kernel: {@link QLinearConvKernel}.
 */
public final class QLinearConv extends Op {
    @Override
    public int minOpset() {
        return 10;
    }

    @Override
    public void infer(OpContext ctx) {
        IntConvGeometry geo = IntConvGeometry.parse(ctx);
        DType y = ctx.hasInput(7) ? ctx.inputDtype(7) : null;
        ctx.setOutput(0, y, ConvInteger.inferShape(geo, ctx.inputShape(0), ctx.inputShape(3)));
    }
}
