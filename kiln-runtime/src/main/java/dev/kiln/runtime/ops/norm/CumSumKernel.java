package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * CumSum: running sums along the axis given by the scalar second input, optionally exclusive
 * (each output leaves out its own element) and/or reversed. Float types accumulate in float32
 * in order, like ONNX Runtime; double in double; integers in long (wrapping to the type).
 */
public final class CumSumKernel extends NamedFactory {
    public static final CumSumKernel INSTANCE = new CumSumKernel();

    private CumSumKernel() {
        super("CumSum", 93);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        final boolean exclusive = ctx.attrs().getInt("exclusive", 0) != 0;
        final boolean reverse = ctx.attrs().getInt("reverse", 0) != 0;
        if (!ctx.hasInput(1)) {
            throw ctx.error("the axis input is required");
        }
        return (in, ec) -> {
            Tensor x = in[0];
            if (in[1].size() != 1) {
                throw new IllegalArgumentException("CumSum axis must be a scalar, found shape "
                        + Shapes.toString(in[1].shape()));
            }
            int axis = Shapes.axis(in[1].getLong(0), x.rank());
            Reduction r = Reduction.alongAxis(x.shape(), axis);
            int n = r.count(), inner = r.inner();
            Tensor out = Tensor.allocate(x.dtype(), x.shape());
            DType t = x.dtype();
            int start = reverse ? n - 1 : 0;
            int step = reverse ? -inner : inner;
            for (int o = 0; o < r.outputSize(); o++) {
                int base = (o / inner) * n * inner + o % inner + start * inner;
                if (t == DType.FLOAT) {
                    float[] xv = x.floats(), yv = out.floats();
                    float acc = 0;
                    for (int k = 0, i = base; k < n; k++, i += step) {
                        if (exclusive) {
                            yv[i] = acc;
                            acc += xv[i];
                        } else {
                            acc += xv[i];
                            yv[i] = acc;
                        }
                    }
                } else if (t.isFloatingPoint()) {
                    double acc = 0;
                    for (int k = 0, i = base; k < n; k++, i += step) {
                        double v = x.getDouble(i);
                        if (exclusive) {
                            out.setDouble(i, acc);
                        }
                        acc = t == DType.DOUBLE ? acc + v : (float) (acc + v);
                        if (!exclusive) {
                            out.setDouble(i, acc);
                        }
                    }
                } else {
                    long acc = 0;
                    for (int k = 0, i = base; k < n; k++, i += step) {
                        long v = x.getLong(i);
                        if (exclusive) {
                            out.setLong(i, acc);
                        }
                        acc += v;
                        if (!exclusive) {
                            out.setLong(i, acc);
                        }
                    }
                }
            }
            return new Tensor[] {out};
        };
    }
}
