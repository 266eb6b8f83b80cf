package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.kernels.conv.ConvShape;
import dev.kiln.runtime.kernels.conv.FloatConv;
import dev.kiln.runtime.kernels.gemm.PackedGemm;
import dev.kiln.runtime.kernels.math.Activation;
import dev.kiln.runtime.ops.IntegerParams;
import dev.kiln.runtime.ops.IntegerSupport;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.quant.IntConv;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;

import java.util.Arrays;

/**
 * Conv (1-D, 2-D, 3-D; groups, dilations, pads, auto_pad). Computed as a GEMM of the weights
 * (packed once when constant) with the input's im2col columns, packed on the fly; pointwise
 * convolutions read the input directly and depthwise 2-D convolutions run a direct kernel.
 */
public final class ConvKernel extends NamedFactory {
    public static final ConvKernel INSTANCE = new ConvKernel();

    private ConvKernel() {
        super("Conv", 1);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        return prepareFused(ctx, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, false, Activation.NONE);
    }

    /**
     * The float kernel followed by what the executor fused into it: the residual (the input after
     * the node's own, at index 3) added when {@code residual} is set, the sum clamped to [lo, hi],
     * then the activation applied exactly as the standalone operator would.
     */
    public Kernel prepareFused(KernelContext ctx, float lo, float hi, boolean residual, Activation activation) {
        Tensor wConst = ctx.constant(1);
        Tensor bConst = ctx.hasInput(2) ? ctx.constant(2) : null;
        int[] wShape = wConst != null ? wConst.shape() : ctx.inputShape(1);
        int[] xShape = ctx.inputShape(0);
        int rank = wShape != null ? wShape.length - 2 : xShape != null ? xShape.length - 2 : -1;
        if (rank < 1 || rank > 3) {
            throw ctx.error("needs a weight of rank 3 to 5 (1-D to 3-D convolution), found shape "
                    + Arrays.toString(wShape));
        }
        ConvAttributes parsed = wShape == null && !ctx.attrs().has("kernel_shape") ? null
                : ConvAttributes.parse(ctx, rank, wShape == null ? null : Arrays.copyOfRange(wShape, 2, wShape.length));
        PackedGemm gemm = PackedGemm.standard();
        // constant weights and bias: packed once here, shared by every run and thread
        FloatConv fixed = wConst == null || (ctx.hasInput(2) && bConst == null) ? null
                : weights(wConst, bConst, parsed.group, gemm).prepack();
        return (in, ec) -> {
            Tensor x = in[0];
            DType t = x.dtype();
            if (!FloatCompute.isFloatType(t)) {
                throw new IllegalArgumentException("Conv takes float tensors, found " + t);
            }
            int[] ws = in[1].shape();
            ConvAttributes attrs = parsed != null ? parsed
                    : ConvAttributes.parse(ctx, ws.length - 2, Arrays.copyOfRange(ws, 2, ws.length));
            FloatConv conv = fixed != null ? fixed
                    : weights(in[1], in.length > 2 ? in[2] : null, attrs.group, gemm);
            Tensor res = residual ? FloatCompute.toFloat(in[3]) : null;
            Tensor y = compute(FloatCompute.toFloat(x), ws, in.length > 2 && in[2] != null ? in[2].size() : -1, attrs,
                    conv, ec.parallel(), res, lo, hi, activation);
            return new Tensor[] {FloatCompute.toType(y, t)};
        };
    }

    @Override
    public Kernel prepareInteger(KernelContext ctx, IntegerParams q) {
        Tensor w = q.weight(1);
        if (!q.isQuantizedInput(0) || w == null || w.dtype() != DType.INT8 || (ctx.hasInput(2) && q.bias(2) == null)) {
            return null;
        }
        int[] ws = w.shape();
        ConvAttributes attrs = ConvAttributes.parse(ctx, ws.length - 2, Arrays.copyOfRange(ws, 2, ws.length));
        int k = 1;
        for (int i = 1; i < ws.length; i++) {
            k *= ws[i];
        }
        float[] mult = IntegerSupport.multipliers(q.inputScale(0), q.weightScales(1), q.outputScale(0), ws[0]);
        IntConv conv = new IntConv(w.bytes(), ws[0], k, attrs.group, IntegerSupport.biasValues(q.bias(2)), mult);
        DType outType = q.outputType(0);
        int lo = q.lo(0);
        int hi = q.hi(0);
        return (in, ec) -> {
            Tensor x = in[0];
            if (!IntegerSupport.isInt8Or16(x.dtype())) {
                throw new IllegalArgumentException("integer Conv needs an int8 or int16 input, found " + x.dtype());
            }
            int rank = attrs.rank;
            int[] inSp = Arrays.copyOfRange(x.shape(), 2, x.rank());
            int[] outSp = attrs.outputSize(inSp);
            int[] pads = attrs.pads(inSp);
            int[] outShape = new int[rank + 2];
            outShape[0] = x.dim(0);
            outShape[1] = ws[0];
            System.arraycopy(outSp, 0, outShape, 2, rank);
            if (x.dim(1) != ws[1] * attrs.group) {
                throw new IllegalArgumentException("input has " + x.dim(1) + " channels but the weight "
                        + Arrays.toString(ws) + " with group " + attrs.group + " expects " + ws[1] * attrs.group);
            }
            Tensor y = IntegerSupport.allocate(outType, outShape);
            ConvShape cs = new ConvShape(ws[1], inSp, attrs.kernel, attrs.strides, attrs.dilations,
                    Arrays.copyOfRange(pads, 0, rank), Arrays.copyOfRange(pads, rank, 2 * rank), outSp);
            conv.run(IntegerSupport.bytesOrNull(x), IntegerSupport.shortsOrNull(x), IntegerSupport.bytesOrNull(y),
                    IntegerSupport.shortsOrNull(y), x.dim(0), x.dim(1), cs, lo, hi, ec.parallel());
            return new Tensor[] {y};
        };
    }

    /** The weights (and bias) in float32, ready for the GEMM kernels. */
    static FloatConv weights(Tensor w, Tensor b, int group, PackedGemm gemm) {
        int[] ws = w.shape();
        int k = 1;
        for (int i = 1; i < ws.length; i++) {
            k *= ws[i];
        }
        float[] bias = b == null ? null : FloatCompute.toFloat(b).floats();
        if (ws[0] % group != 0) {
            throw new IllegalArgumentException("weight has " + ws[0] + " output channels, not divisible by group " + group);
        }
        return new FloatConv(FloatCompute.toFloat(w).floats(), ws[0], k, group, bias, gemm);
    }

    /**
     * The convolution in float32, with the output clamped to [lo, hi] (a fused activation).
     *
     * @param biasSize number of bias values (-1 when there is no bias), for validation
     */
    static Tensor compute(Tensor x, int[] wShape, int biasSize, ConvAttributes a, FloatConv conv, Parallel par,
                          Tensor residual, float lo, float hi, Activation act) {
        int rank = a.rank;
        if (x.rank() != rank + 2) {
            throw new IllegalArgumentException("input of shape " + Arrays.toString(x.shape()) + " does not fit a "
                    + rank + "-D convolution (expected rank " + (rank + 2) + ")");
        }
        int batch = x.dim(0);
        int c = x.dim(1);
        int m = wShape[0];
        int group = a.group;
        int cg = wShape[1];
        if (cg * group != c) {
            throw new IllegalArgumentException("input has " + c + " channels but the weight " + Arrays.toString(wShape)
                    + " with group " + group + " expects " + cg * group);
        }
        if (biasSize >= 0 && biasSize != m) {
            throw new IllegalArgumentException("bias has " + biasSize + " values for " + m + " output channels");
        }
        for (int i = 0; i < rank; i++) {
            if (wShape[2 + i] != a.kernel[i]) {
                throw new IllegalArgumentException("weight shape " + Arrays.toString(wShape) + " does not match kernel_shape "
                        + Arrays.toString(a.kernel));
            }
        }
        int[] inSp = Arrays.copyOfRange(x.shape(), 2, x.rank());
        int[] outSp = a.outputSize(inSp);
        for (int o : outSp) {
            if (o <= 0) {
                throw new IllegalArgumentException("input of spatial size " + Arrays.toString(inSp)
                        + " is too small for the kernel, stride, padding and dilation (output " + Arrays.toString(outSp) + ")");
            }
        }
        int[] pads = a.pads(inSp);
        int[] outShape = new int[rank + 2];
        outShape[0] = batch;
        outShape[1] = m;
        System.arraycopy(outSp, 0, outShape, 2, rank);
        Tensor y = Tensor.allocateForOverwrite(DType.FLOAT, outShape);
        if (batch == 0) {
            return y;
        }
        ConvShape cs = new ConvShape(cg, inSp, a.kernel, a.strides, a.dilations, Arrays.copyOfRange(pads, 0, rank),
                Arrays.copyOfRange(pads, rank, 2 * rank), outSp);
        if (residual != null && !Arrays.equals(residual.shape(), outShape)) {
            throw new IllegalArgumentException("residual of shape " + Arrays.toString(residual.shape())
                    + " does not match the convolution output " + Arrays.toString(outShape));
        }
        conv.run(x.floats(), y.floats(), batch, c, cs, residual == null ? null : residual.floats(), lo, hi, act, par);
        return y;
    }
}
