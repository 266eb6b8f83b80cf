package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * ConvInteger (opset 10): {@code y = conv(x - x_zero_point, w - w_zero_point)} accumulated in
 * int32. x and w are int8 or uint8; x_zero_point is a scalar, w_zero_point a scalar or one per
 * output channel (ONNX Runtime takes only uint8 and per-tensor zero points); both default to 0.
 * The geometry attributes are Conv's ({@link IntConvGeometry}).
 */
public final class ConvInteger extends Op {
    @Override
    public int opcode() {
        return 118;
    }

    @Override
    public int minOpset() {
        return 10;
    }

    @Override
    public void infer(OpContext ctx) {
        IntConvGeometry geo = IntConvGeometry.parse(ctx);
        ctx.setOutput(0, DType.INT32, inferShape(geo, ctx.inputShape(0), ctx.inputShape(1)));
    }

    /** [N, M, spatial...] from partially known x and w shapes; null when a rank is unknown. */
    static int[] inferShape(IntConvGeometry geo, int[] x, int[] w) {
        if (x == null || x.length < 3) {
            return null;
        }
        int r = x.length - 2;
        int[] xs = new int[r];
        int[] ks = new int[r];
        for (int i = 0; i < r; i++) {
            xs[i] = x[i + 2];
            ks[i] = w != null && w.length == x.length ? w[i + 2] : -1;
        }
        int[] sp = geo.outputSpatial(xs, ks);
        int[] out = new int[x.length];
        out[0] = x[0];
        out[1] = w != null && w.length > 0 ? w[0] : -1;
        System.arraycopy(sp, 0, out, 2, r);
        return out;
    }

    /** [N, M, output spatial...] for a resolved geometry. */
    static int[] outputShape(int[] x, int outChannels, IntConvGeometry.Resolved g) {
        int[] out = new int[x.length];
        out[0] = x[0];
        out[1] = outChannels;
        System.arraycopy(g.out, 0, out, 2, g.out.length);
        return out;
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        IntConvGeometry geo = IntConvGeometry.parse(ctx);
        return (in, ec) -> {
            Tensor x = in[0];
            Tensor w = in[1];
            Tensor xZp = in.length > 2 ? in[2] : null;
            Tensor wZp = in.length > 3 ? in[3] : null;
            QuantParams.requireType(x, "x", DType.INT8, DType.UINT8);
            QuantParams.requireType(w, "w", DType.INT8, DType.UINT8);
            if (xZp != null && xZp.dtype() != x.dtype() || wZp != null && wZp.dtype() != w.dtype()) {
                throw new IllegalArgumentException("zero points must have their tensor's type (x " + x.dtype()
                        + ", w " + w.dtype() + ")");
            }
            IntConvGeometry.Resolved g = geo.resolve(x.shape(), w.shape());
            int[] xv = IntKernels.minusZeroPoint(x, xZp, "x_zero_point");
            int[] wv = IntKernels.weightsMinusZeroPoint(w, wZp);
            int[] acc = IntKernels.conv(xv, x.shape(), wv, w.shape(), null, g, geo.group, ec.parallel());
            return new Tensor[] {Tensor.ofInts(acc, outputShape(x.shape(), w.dim(0), g))};
        };
    }
}
