package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * QLinearMatMul: a numpy-style matrix product of quantized tensors. The int32 accumulator
 * {@code sum((a - a_zp[i]) * (b - b_zp[j]))} is requantized with
 * {@code M = a_scale[i] * b_scale[j] / y_scale} in float32 (see {@link QuantMath#requantize}).
 *
 * <p>Opset 10: int8/uint8 operands and float scales; 21: float16/bfloat16 scales (float8 operands
 * are not supported). a's parameters are per tensor or per row (1-D of length M, or a's shape
 * with last dim 1), b's per tensor or per column (1-D of length N, or b's shape with
 * second-to-last dim 1); ONNX Runtime accepts only per-tensor a parameters.
 */
public final class QLinearMatMulKernel extends NamedFactory {
    public static final QLinearMatMulKernel INSTANCE = new QLinearMatMulKernel();

    private QLinearMatMulKernel() {
        super("QLinearMatMul", 117);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        if (ctx.inputCount() < 8) {
            throw ctx.error("QLinearMatMul needs a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale and "
                    + "y_zero_point; found " + ctx.inputCount() + " inputs");
        }
        for (int i = 0; i < 8; i++) {
            if (!ctx.hasInput(i)) {
                throw ctx.error("QLinearMatMul input " + i + " is required but omitted");
            }
        }
        return (in, ec) -> {
            Tensor a = in[0];
            Tensor b = in[3];
            Tensor yZp = in[7];
            QuantParams.requireType(a, "a", DType.INT8, DType.UINT8);
            QuantParams.requireType(b, "b", DType.INT8, DType.UINT8);
            QuantParams.requireType(yZp, "y_zero_point", DType.INT8, DType.UINT8);
            if (in[2].dtype() != a.dtype() || in[5].dtype() != b.dtype()) {
                throw new IllegalArgumentException("zero points must have their tensor's type: a " + a.dtype()
                        + " with a_zero_point " + in[2].dtype() + ", b " + b.dtype() + " with b_zero_point "
                        + in[5].dtype());
            }
            QuantParams.requireScalar(in[6], "y_scale");
            QuantParams.requireScalar(yZp, "y_zero_point");
            IntKernels.MatMulShape s = new IntKernels.MatMulShape(a.shape(), b.shape());
            int[] aParam = s.paramIndex(in[1], true, "a_scale");
            int[] bParam = s.paramIndex(in[4], false, "b_scale");
            float[] aScale = QuantParams.floats(in[1]);
            float[] bScale = QuantParams.floats(in[4]);
            float yScale = in[6].getFloat(0);
            int[] acc = s.multiply(s.aMinusZeroPoint(a, in[2]), s.bMinusZeroPoint(b, in[5]), ec.parallel());

            DType outType = yZp.dtype();
            int zp = (int) yZp.getLong(0);
            int lo = QuantParams.lo(outType);
            int hi = QuantParams.hi(outType);
            Tensor y = Tensor.allocate(outType, s.out);
            byte[] ys = y.bytes();
            int m = s.m;
            int n = s.n;
            ec.parallel().forRange(s.batches * m, 16, (from, to) -> {
                for (int row = from; row < to; row++) {
                    int batch = row / m;
                    float as = aScale[aParam[s.aBatch[batch] * m + row % m]];
                    int bBase = s.bBatch[batch] * n;
                    for (int j = 0; j < n; j++) {
                        float mult = QuantMath.requantMultiplier(as, bScale[bParam[bBase + j]], yScale);
                        ys[row * n + j] = (byte) QuantMath.requantize(acc[row * n + j], mult, zp, lo, hi);
                    }
                }
            });
            return new Tensor[] {y};
        };
    }
}
