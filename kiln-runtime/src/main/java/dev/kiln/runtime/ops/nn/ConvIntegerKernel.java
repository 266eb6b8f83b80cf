package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * ConvInteger (opset 10): {@code y = conv(x - x_zero_point, w - w_zero_point)} accumulated in
 * int32. x and w are int8 or uint8; x_zero_point is a scalar, w_zero_point a scalar or one per
 * output channel (ONNX Runtime takes only uint8 and per-tensor zero points); both default to 0.
 * The geometry attributes are Conv's ({@link IntConvGeometry}).
 */
public final class ConvIntegerKernel extends NamedFactory {
    public static final ConvIntegerKernel INSTANCE = new ConvIntegerKernel();

    private ConvIntegerKernel() {
        super("ConvInteger", 118);
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
    public Kernel prepare(KernelContext ctx) {
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
