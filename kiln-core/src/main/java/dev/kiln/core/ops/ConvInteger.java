package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.IntConvGeometry;
import dev.kiln.runtime.ops.nn.ConvIntegerKernel;

import dev.kiln.runtime.tensor.DType;

/**
 * ConvInteger (opset 10): {@code y = conv(x - x_zero_point, w - w_zero_point)} accumulated in
 * int32. x and w are int8 or uint8; x_zero_point is a scalar, w_zero_point a scalar or one per
 * output channel (ONNX Runtime takes only uint8 and per-tensor zero points); both default to 0.
 * The geometry attributes are Conv's ({@link IntConvGeometry}).
 *
 * <p>Kernel: {@link ConvIntegerKernel}.
 */
public final class ConvInteger extends Op {
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
}
