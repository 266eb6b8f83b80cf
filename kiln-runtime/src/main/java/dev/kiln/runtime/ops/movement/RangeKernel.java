package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Range: start, start + delta, ... up to but excluding limit, for float, double, int16, int32 and
 * int64 scalars. The count is max(ceil((limit - start) / delta), 0) and values accumulate by
 * repeated addition in the input type, as ONNX Runtime computes them.
 */
public final class RangeKernel extends NamedFactory {
    public static final RangeKernel INSTANCE = new RangeKernel();

    private RangeKernel() {
        super("Range", 98);
    }

    private static Tensor scalar(Tensor t, String what) {
        if (t.size() != 1 || t.rank() > 1) {
            throw new IllegalArgumentException(what + " must be a scalar, found shape " + Arrays.toString(t.shape()));
        }
        return t;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        return (in, ec) -> {
            Tensor s = scalar(in[0], "start");
            Tensor l = scalar(in[1], "limit");
            Tensor d = scalar(in[2], "delta");
            DType t = s.dtype();
            if (l.dtype() != t || d.dtype() != t) {
                throw new IllegalArgumentException("start, limit and delta must have one type; found " + t + ", "
                        + l.dtype() + ", " + d.dtype());
            }
            switch (t) {
                case FLOAT: {
                    float start = s.floats()[0];
                    float delta = d.floats()[0];
                    int n = count((double) (l.floats()[0] - start), delta);
                    float[] o = new float[n];
                    for (int i = 0; i < n; i++, start += delta) {
                        o[i] = start;
                    }
                    return new Tensor[] {Tensor.of(o, n)};
                }
                case DOUBLE: {
                    double start = s.doubles()[0];
                    double delta = d.doubles()[0];
                    int n = count(l.doubles()[0] - start, delta);
                    double[] o = new double[n];
                    for (int i = 0; i < n; i++, start += delta) {
                        o[i] = start;
                    }
                    return new Tensor[] {Tensor.ofDoubles(o, n)};
                }
                case INT16: case INT32: case INT64: {
                    long start = s.getLong(0);
                    long delta = d.getLong(0);
                    int n = count((double) (l.getLong(0) - start), delta);
                    Tensor out = Tensor.allocate(t, n);
                    for (int i = 0; i < n; i++, start += delta) {
                        out.setLong(i, start);
                    }
                    return new Tensor[] {out};
                }
                default:
                    throw new IllegalArgumentException("Range takes float, double, int16, int32 or int64, not " + t);
            }
        };
    }

    private static int count(double span, double delta) {
        if (delta == 0) {
            throw new IllegalArgumentException("delta must not be 0");
        }
        double n = Math.ceil(span / delta);
        if (!(n > 0)) {
            return 0;
        }
        return ShapeArgs.dimSize((long) n, "Range length");
    }
}
