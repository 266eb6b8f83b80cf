package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * QLinearConv (opset 10): a convolution of quantized tensors. The int32 accumulator
 * {@code acc = sum((x - x_zp) * (w - w_zp[m])) + B[m]} is requantized per output channel with
 * {@code M[m] = x_scale * w_scale[m] / y_scale} in float32 (see {@link QuantMath#requantize}).
 *
 * <p>x, w and y are int8 or uint8 in any combination; w_scale and w_zero_point are scalars or
 * one per output channel (ONNX Runtime additionally requires per-channel zero points to be
 * equal; Kiln does not); padding reads the input zero point, i.e. contributes nothing. The
 * geometry attributes are Conv's ({@link IntConvGeometry}).
 */
public final class QLinearConvKernel extends NamedFactory {
    public static final QLinearConvKernel INSTANCE = new QLinearConvKernel();

    private QLinearConvKernel() {
        super("QLinearConv", 116);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        if (ctx.inputCount() < 8 || !ctx.hasInput(2) || !ctx.hasInput(5) || !ctx.hasInput(7)) {
            throw ctx.error("QLinearConv needs x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, "
                    + "y_zero_point and an optional B; found " + ctx.inputCount() + " inputs");
        }
        IntConvGeometry geo = IntConvGeometry.parse(ctx);
        Tensor w = ctx.constant(3);
        Tensor wZp = ctx.constant(5);
        int[] fixedW;
        try {
            fixedW = w != null && wZp != null ? IntKernels.weightsMinusZeroPoint(check8Bit(w, "w"), wZp) : null;
        } catch (IllegalArgumentException e) {
            throw ctx.error(e.getMessage());
        }
        return (in, ec) -> {
            Tensor x = check8Bit(in[0], "x");
            Tensor wt = check8Bit(in[3], "w");
            Tensor yZp = check8Bit(in[7], "y_zero_point");
            if (in[2].dtype() != x.dtype() || in[5].dtype() != wt.dtype()) {
                throw new IllegalArgumentException("zero points must have their tensor's type: x " + x.dtype()
                        + " with x_zero_point " + in[2].dtype() + ", w " + wt.dtype() + " with w_zero_point "
                        + in[5].dtype());
            }
            IntConvGeometry.Resolved g = geo.resolve(x.shape(), wt.shape());
            int outChannels = wt.dim(0);
            QuantParams.requireScalar(in[1], "x_scale");
            QuantParams.requireScalar(in[6], "y_scale");
            float xScale = in[1].getFloat(0);
            float yScale = in[6].getFloat(0);
            float[] wScale = IntKernels.perChannelScale(in[4], outChannels, "w_scale");
            int[] bias = null;
            if (in.length > 8 && in[8] != null) {
                QuantParams.requireType(in[8], "B", DType.INT32);
                if (in[8].rank() != 1 || in[8].size() != outChannels) {
                    throw new IllegalArgumentException("B must be 1-D with one int32 per output channel (" + outChannels
                            + "), found shape " + Shapes.toString(in[8].shape()));
                }
                bias = in[8].ints();
            }
            int[] xv = IntKernels.minusZeroPoint(x, in[2], "x_zero_point");
            int[] wv = fixedW != null ? fixedW : IntKernels.weightsMinusZeroPoint(wt, in[5]);
            int[] acc = IntKernels.conv(xv, x.shape(), wv, wt.shape(), bias, g, geo.group, ec.parallel());

            QuantParams.requireScalar(yZp, "y_zero_point");
            DType outType = yZp.dtype();
            int zp = (int) yZp.getLong(0);
            int lo = QuantParams.lo(outType);
            int hi = QuantParams.hi(outType);
            int[] shape = ConvIntegerKernel.outputShape(x.shape(), outChannels, g);
            Tensor y = Tensor.allocate(outType, shape);
            byte[] ys = y.bytes();
            int outSize = g.outputSize();
            float[] multiplier = new float[outChannels];
            for (int m = 0; m < outChannels; m++) {
                multiplier[m] = QuantMath.requantMultiplier(xScale, wScale[m], yScale);
            }
            int planes = shape[0] * outChannels;
            ec.parallel().forRange(planes, 16, (from, to) -> {
                for (int nm = from; nm < to; nm++) {
                    int at = nm * outSize;
                    QuantMath.requantize(acc, at, ys, at, outSize, multiplier[nm % outChannels], zp, lo, hi);
                }
            });
            return new Tensor[] {y};
        };
    }

    private static Tensor check8Bit(Tensor t, String what) {
        if (!QuantParams.is8Bit(t.dtype())) {
            throw new IllegalArgumentException(what + " must be int8 or uint8, found " + t.dtype());
        }
        return t;
    }
}
