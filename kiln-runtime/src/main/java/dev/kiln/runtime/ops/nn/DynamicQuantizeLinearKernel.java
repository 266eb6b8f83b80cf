package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * DynamicQuantizeLinear (opset 11): uint8 quantization with a scale and zero point computed from
 * the input's range, which is widened to include 0. The scale is {@code (max - min) / 255} and the
 * zero point {@code round_half_to_even(clamp(-min / scale, 0, 255))}, both in float32; an all-zero
 * input gets scale 1 (ONNX Runtime's choice where the ONNX formula divides by zero). NaN inputs
 * are ignored when finding the range.
 */
public final class DynamicQuantizeLinearKernel extends NamedFactory {
    public static final DynamicQuantizeLinearKernel INSTANCE = new DynamicQuantizeLinearKernel();

    private DynamicQuantizeLinearKernel() {
        super("DynamicQuantizeLinear", 115);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        return (in, ec) -> {
            Tensor x = in[0];
            if (x.dtype() != DType.FLOAT) {
                throw new IllegalArgumentException("input must be float32, found " + x.dtype());
            }
            float[] xs = x.floats();
            int n = x.size();
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                float v = xs[i];
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
            int qmin = QuantMath.UINT8_MIN;
            int qmax = QuantMath.UINT8_MAX;
            float scale = QuantMath.dynamicScale(min, max, qmin, qmax);
            int zp = QuantMath.dynamicZeroPoint(min, scale, qmin, qmax);
            Tensor y = Tensor.allocate(DType.UINT8, x.shape());
            byte[] ys = y.bytes();
            ec.parallel().forRange(n, 1 << 14, (from, to) ->
                    QuantMath.quantize(xs, from, ys, from, to - from, scale, zp, qmin, qmax));
            Tensor z = Tensor.allocate(DType.UINT8);
            z.setLong(0, zp);
            return new Tensor[] {y, Tensor.scalar(scale), z};
        };
    }
}
