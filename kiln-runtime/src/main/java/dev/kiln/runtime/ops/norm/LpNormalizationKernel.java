package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * LpNormalization: x divided by its L1 (p = 1) or L2 (p = 2, default) norm along {@code axis}
 * (default -1). A zero norm gives zeros, as in ONNX Runtime.
 */
public final class LpNormalizationKernel extends NamedFactory {
    public static final LpNormalizationKernel INSTANCE = new LpNormalizationKernel();

    private LpNormalizationKernel() {
        super("LpNormalization", 58);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        final long axisAttr = ctx.attrs().getInt("axis", -1);
        final long p = ctx.attrs().getInt("p", 2);
        if (p != 1 && p != 2) {
            throw ctx.error("p must be 1 or 2, found " + p);
        }
        return (in, ec) -> {
            Tensor x = in[0];
            int axis = Shapes.axis(axisAttr, x.rank());
            Reduction r = Reduction.alongAxis(x.shape(), axis);
            int count = r.count(), inner = r.inner();
            Tensor out = Tensor.allocate(x.dtype(), x.shape());
            boolean f32 = x.dtype() == DType.FLOAT;
            float[] xf = f32 ? x.floats() : null;
            float[] yf = f32 ? out.floats() : null;
            ec.parallel().forRange(r.outputSize(), ReduceKernels.grain(count), (from, to) -> {
                for (int o = from; o < to; o++) {
                    int base = (o / inner) * count * inner + o % inner;
                    double norm = 0;
                    for (int k = 0, i = base; k < count; k++, i += inner) {
                        double v = f32 ? xf[i] : x.getDouble(i);
                        norm += p == 1 ? Math.abs(v) : v * v;
                    }
                    if (p == 2) {
                        norm = Math.sqrt(norm);
                    }
                    for (int k = 0, i = base; k < count; k++, i += inner) {
                        double v = norm == 0 ? 0 : (f32 ? xf[i] : x.getDouble(i)) / norm;
                        if (f32) {
                            yf[i] = (float) v;
                        } else {
                            out.setDouble(i, v);
                        }
                    }
                }
            });
            return new Tensor[] {out};
        };
    }
}
