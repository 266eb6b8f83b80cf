package dev.kiln.core.ops;

import dev.kiln.runtime.kernels.conv.ConvShape;
import dev.kiln.runtime.kernels.conv.DepthwiseConv;
import dev.kiln.runtime.kernels.conv.Im2colB;
import dev.kiln.runtime.kernels.gemm.BPacker;
import dev.kiln.runtime.kernels.gemm.MatrixB;
import dev.kiln.runtime.kernels.gemm.PackedGemm;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;

import java.util.Arrays;

/**
 * Conv (1-D, 2-D, 3-D; groups, dilations, pads, auto_pad). Computed as a GEMM of the weights
 * (packed once when constant) with the input's im2col columns, packed on the fly; pointwise
 * convolutions read the input directly and depthwise 2-D convolutions run a direct kernel.
 */
public final class Conv extends Op {
    @Override
    public int opcode() {
        return 1;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.COMPUTE;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] x = ctx.inputShape(0);
        int[] w = ctx.inputShape(1);
        DType t = ctx.inputDtype(0);
        int rank = x != null ? x.length - 2 : w != null ? w.length - 2 : -1;
        if (rank < 1) {
            ctx.setOutput(0, t, (int[]) null);
            return;
        }
        int[] wSpatial = w == null ? null : Arrays.copyOfRange(w, 2, w.length);
        ConvAttributes a = ConvAttributes.parse(ctx, rank, wSpatial);
        int[] out = new int[rank + 2];
        out[0] = x == null ? -1 : x[0];
        out[1] = w == null ? -1 : w[0];
        int[] in = x == null ? ConvAttributes.filled(rank, -1) : Arrays.copyOfRange(x, 2, x.length);
        boolean known = true;
        for (int d : a.kernel) {
            known &= d > 0;
        }
        int[] sp = known ? a.outputSize(in) : ConvAttributes.filled(rank, -1);
        System.arraycopy(sp, 0, out, 2, rank);
        ctx.setOutput(0, t, out);
    }

    @Override
    public Kernel prepare(OpContext ctx) {
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
        float[] bias = bConst == null ? null : FloatCompute.toFloat(bConst).floats();
        PackedGemm.PackedA[] packed = null;
        float[] wFloat = null;
        if (wConst != null) {
            wFloat = FloatCompute.toFloat(wConst).floats();
            if (!isDepthwise(parsed, wConst.shape())) {
                packed = packWeights(gemm, wFloat, wConst.shape(), parsed.group);
            }
        }
        final PackedGemm.PackedA[] pw = packed;
        final float[] wf = wFloat;
        return (in, ec) -> {
            Tensor x = in[0];
            DType t = x.dtype();
            if (!FloatCompute.isFloatType(t)) {
                throw new IllegalArgumentException("Conv takes float tensors, found " + t);
            }
            float[] w = wf != null ? wf : FloatCompute.toFloat(in[1]).floats();
            float[] b = bias != null ? bias : (in.length > 2 && in[2] != null ? FloatCompute.toFloat(in[2]).floats() : null);
            int[] ws = in[1].shape();
            ConvAttributes attrs = parsed != null ? parsed
                    : ConvAttributes.parse(ctx, ws.length - 2, Arrays.copyOfRange(ws, 2, ws.length));
            Tensor y = compute(FloatCompute.toFloat(x), w, ws, b, attrs, pw, gemm, ec.parallel(),
                    Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
            return new Tensor[] {FloatCompute.toType(y, t)};
        };
    }

    static boolean isDepthwise(ConvAttributes a, int[] wShape) {
        return a.rank == 2 && a.group > 1 && wShape[1] == 1;
    }

    static PackedGemm.PackedA[] packWeights(PackedGemm gemm, float[] w, int[] wShape, int group) {
        int m = wShape[0];
        int mg = m / group;
        int k = 1;
        for (int i = 1; i < wShape.length; i++) {
            k *= wShape[i];
        }
        PackedGemm.PackedA[] p = new PackedGemm.PackedA[group];
        for (int g = 0; g < group; g++) {
            p[g] = gemm.packA(w, g * mg * k, k, mg, k, false);
        }
        return p;
    }

    /** The convolution in float32, with the output clamped to [lo, hi] (a fused activation). */
    static Tensor compute(Tensor x, float[] w, int[] wShape, float[] bias, ConvAttributes a,
                          PackedGemm.PackedA[] packed, PackedGemm gemm, Parallel par, float lo, float hi) {
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
        if (m % group != 0) {
            throw new IllegalArgumentException("weight has " + m + " output channels, not divisible by group " + group);
        }
        if (bias != null && bias.length != m) {
            throw new IllegalArgumentException("bias has " + bias.length + " values for " + m + " output channels");
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
        Tensor y = Tensor.allocate(DType.FLOAT, outShape);
        ConvShape cs = new ConvShape(cg, inSp, a.kernel, a.strides, a.dilations, Arrays.copyOfRange(pads, 0, rank), outSp);
        float[] xf = x.floats();
        float[] yf = y.floats();
        if (batch == 0) {
            return y;
        }
        if (isDepthwise(a, wShape)) {
            DepthwiseConv.run(xf, w, bias, yf, batch, c, m / c, cs, lo, hi, par);
            return y;
        }
        int mg = m / group;
        int k = cs.depth();
        int inPlane = cs.inputPlane();
        int outPlane = cs.outputPlane();
        for (int n = 0; n < batch; n++) {
            for (int g = 0; g < group; g++) {
                PackedGemm.PackedA pa = packed != null ? packed[g] : gemm.packA(w, g * mg * k, k, mg, k, false);
                int xBase = (n * c + g * cg) * inPlane;
                BPacker bp = cs.isPointwise() ? new MatrixB(xf, xBase, inPlane, inPlane, false) : new Im2colB(xf, xBase, cs);
                gemm.multiply(pa, bp, outPlane, yf, (n * m + g * mg) * outPlane, outPlane, bias, g * mg, lo, hi, par);
            }
        }
        return y;
    }
}
