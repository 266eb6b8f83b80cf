package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.kernels.gemm.MatrixB;
import dev.kiln.runtime.kernels.gemm.PackedGemm;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * ConvTranspose (1-D to 3-D; groups, dilations, output_padding, output_shape, auto_pad). Computed as
 * a GEMM of the transposed weights with the input, giving one column per input position, followed
 * by col2im: each column is added into the output window it covers.
 */
public final class ConvTransposeKernel extends NamedFactory {
    public static final ConvTransposeKernel INSTANCE = new ConvTransposeKernel();

    private ConvTransposeKernel() {
        super("ConvTranspose", 2);
    }

    /** Output spatial size and begin pads for the given input spatial size. */
    public record Geometry(int[] out, int[] padBegin) {
    }

    /** The output size and begin pads for a known input spatial size (output_padding, output_shape, auto_pad). */
    public static Geometry geometry(KernelContext ctx, ConvAttributes a, int[] in) {
        int r = a.rank;
        int[] outPad = ConvAttributes.toInts(ctx.attrs().getInts("output_padding", null));
        if (outPad == null) {
            outPad = new int[r];
        }
        int[] outShape = ConvAttributes.toInts(ctx.attrs().getInts("output_shape", null));
        if (outShape != null && outShape.length == r + 2) {
            outShape = Arrays.copyOfRange(outShape, 2, r + 2);
        }
        if (outPad.length != r || (outShape != null && outShape.length != r)) {
            throw ctx.error("output_padding and output_shape must have " + r + " values");
        }
        int[] out = new int[r];
        int[] begin = new int[r];
        boolean same = a.autoPad.equals("SAME_UPPER") || a.autoPad.equals("SAME_LOWER");
        for (int i = 0; i < r; i++) {
            int full = a.strides[i] * (in[i] - 1) + outPad[i] + a.extent(i);
            if (outShape != null || same) {
                int target = outShape != null ? outShape[i] : in[i] * a.strides[i];
                int total = full - target;
                if (a.autoPad.equals("SAME_UPPER")) {
                    begin[i] = Math.floorDiv(total, 2);
                } else {
                    begin[i] = total - Math.floorDiv(total, 2);
                }
                out[i] = target;
            } else if (a.autoPad.equals("VALID")) {
                out[i] = full;
            } else {
                begin[i] = a.pads[i];
                out[i] = full - a.pads[i] - a.pads[i + r];
            }
        }
        return new Geometry(out, begin);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        Tensor wConst = ctx.constant(1);
        Tensor bConst = ctx.hasInput(2) ? ctx.constant(2) : null;
        PackedGemm gemm = PackedGemm.standard();
        float[] bias = bConst == null ? null : FloatCompute.toFloat(bConst).floats();
        PackedGemm.PackedA[] packed = null;
        if (wConst != null) {
            int[] ws = wConst.shape();
            ConvAttributes a = ConvAttributes.parse(ctx, ws.length - 2, Arrays.copyOfRange(ws, 2, ws.length));
            packed = packWeights(gemm, FloatCompute.toFloat(wConst).floats(), ws, a.group);
        }
        final PackedGemm.PackedA[] pw = packed;
        return (in, ec) -> {
            Tensor x = in[0];
            DType t = x.dtype();
            if (!FloatCompute.isFloatType(t)) {
                throw new IllegalArgumentException("ConvTranspose takes float tensors, found " + t);
            }
            int[] ws = in[1].shape();
            ConvAttributes a = ConvAttributes.parse(ctx, ws.length - 2, Arrays.copyOfRange(ws, 2, ws.length));
            float[] w = FloatCompute.toFloat(in[1]).floats();
            float[] b = bias != null ? bias : (in.length > 2 && in[2] != null ? FloatCompute.toFloat(in[2]).floats() : null);
            Tensor y = compute(ctx, FloatCompute.toFloat(x), w, ws, b, a, pw, gemm, ec);
            return new Tensor[] {FloatCompute.toType(y, t)};
        };
    }

    private static PackedGemm.PackedA[] packWeights(PackedGemm gemm, float[] w, int[] ws, int group) {
        int cin = ws[0];
        int cing = cin / group;
        int mcols = 1;
        for (int i = 1; i < ws.length; i++) {
            mcols *= ws[i];
        }
        PackedGemm.PackedA[] p = new PackedGemm.PackedA[group];
        for (int g = 0; g < group; g++) {
            p[g] = gemm.packA(w, g * cing * mcols, mcols, mcols, cing, true);
        }
        return p;
    }

    private static Tensor compute(KernelContext ctx, Tensor x, float[] w, int[] ws, float[] bias, ConvAttributes a,
                                  PackedGemm.PackedA[] packed, PackedGemm gemm, ExecContext ec) {
        int r = a.rank;
        if (x.rank() != r + 2) {
            throw new IllegalArgumentException("input of shape " + Arrays.toString(x.shape()) + " does not fit a "
                    + r + "-D transposed convolution");
        }
        int batch = x.dim(0);
        int cin = x.dim(1);
        int group = a.group;
        if (ws[0] != cin || cin % group != 0) {
            throw new IllegalArgumentException("input has " + cin + " channels but the weight " + Arrays.toString(ws)
                    + " with group " + group + " expects " + ws[0]);
        }
        int cing = cin / group;
        int coutg = ws[1];
        int cout = coutg * group;
        if (bias != null && bias.length != cout) {
            throw new IllegalArgumentException("bias has " + bias.length + " values for " + cout + " output channels");
        }
        int[] in = Arrays.copyOfRange(x.shape(), 2, x.rank());
        Geometry geo = geometry(ctx, a, in);
        int[] outShape = new int[r + 2];
        outShape[0] = batch;
        outShape[1] = cout;
        System.arraycopy(geo.out, 0, outShape, 2, r);
        Tensor y = Tensor.allocate(DType.FLOAT, outShape);
        float[] yf = y.floats();
        float[] xf = x.floats();
        int[] i3 = lift(in, 1);
        int[] o3 = lift(geo.out, 1);
        int[] k3 = lift(a.kernel, 1);
        int[] s3 = lift(a.strides, 1);
        int[] d3 = lift(a.dilations, 1);
        int[] p3 = lift(geo.padBegin, 0);
        int inPlane = i3[0] * i3[1] * i3[2];
        int outPlane = o3[0] * o3[1] * o3[2];
        int ksize = k3[0] * k3[1] * k3[2];
        int rows = coutg * ksize;
        float[] cols = new float[rows * inPlane];
        for (int n = 0; n < batch; n++) {
            for (int g = 0; g < group; g++) {
                PackedGemm.PackedA pa = packed != null ? packed[g]
                        : gemm.packA(w, g * cing * rows, rows, rows, cing, true);
                int xBase = (n * cin + g * cing) * inPlane;
                gemm.multiply(pa, new MatrixB(xf, xBase, inPlane, inPlane, false), inPlane, cols, 0, inPlane,
                        null, 0, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, ec.parallel());
                int yBase = (n * cout + g * coutg) * outPlane;
                int gg = g;
                ec.parallel().forRange(coutg, 1, (from, to) -> {
                    for (int oc = from; oc < to; oc++) {
                        int ob = yBase + oc * outPlane;
                        float bv = bias == null ? 0f : bias[gg * coutg + oc];
                        Arrays.fill(yf, ob, ob + outPlane, bv);
                        for (int kz = 0; kz < k3[0]; kz++) {
                            for (int ky = 0; ky < k3[1]; ky++) {
                                for (int kx = 0; kx < k3[2]; kx++) {
                                    int row = (oc * ksize + (kz * k3[1] + ky) * k3[2] + kx) * inPlane;
                                    for (int iz = 0; iz < i3[0]; iz++) {
                                        int oz = iz * s3[0] - p3[0] + kz * d3[0];
                                        if (oz < 0 || oz >= o3[0]) {
                                            continue;
                                        }
                                        for (int iy = 0; iy < i3[1]; iy++) {
                                            int oy = iy * s3[1] - p3[1] + ky * d3[1];
                                            if (oy < 0 || oy >= o3[1]) {
                                                continue;
                                            }
                                            int src = row + (iz * i3[1] + iy) * i3[2];
                                            int dst = ob + (oz * o3[1] + oy) * o3[2];
                                            int ox0 = -p3[2] + kx * d3[2];
                                            for (int ix = 0; ix < i3[2]; ix++) {
                                                int ox = ix * s3[2] + ox0;
                                                if (ox >= 0 && ox < o3[2]) {
                                                    yf[dst + ox] += cols[src + ix];
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                });
            }
        }
        return y;
    }

    /** A 1-to-3-D vector as 3-D, leading dims filled. */
    private static int[] lift(int[] v, int fill) {
        int[] r = {fill, fill, fill};
        System.arraycopy(v, 0, r, 3 - v.length, v.length);
        return r;
    }
}
