package dev.kiln.core.ops;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Base of one-input, one-output elementwise operators (Relu, Sigmoid, Abs...). Float types are
 * computed in float32 (float16/bfloat16 results rounded to their format), double in double;
 * integer inputs are accepted only by ops that override {@link #applyLong}.
 */
public abstract class UnaryElementwiseOp extends Op {
    /** The function in double precision (used for DOUBLE and as the default for float). */
    protected abstract double apply(double x);

    /** The function in float32; override when a float formula differs from casting apply(). */
    protected float applyFloat(float x) {
        return (float) apply(x);
    }

    /** Integer version; ops that accept integer tensors override this and {@link #acceptsIntegers}. */
    protected long applyLong(long x) {
        throw new UnsupportedOperationException(type() + " does not accept integer tensors");
    }

    protected boolean acceptsIntegers() {
        return false;
    }

    /** Parses attributes into a function of x; ops with attributes override this. */
    protected UnaryElementwiseOp configure(OpContext ctx) {
        return this;
    }

    @Override
    public void infer(OpContext ctx) {
        Infer.sameAsInput(ctx, 0, 0);
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        UnaryElementwiseOp f = configure(ctx);
        return (in, ec) -> new Tensor[] {f.compute(in[0], ec)};
    }

    Tensor compute(Tensor x, ExecContext ec) {
        DType t = x.dtype();
        Tensor out = Tensor.allocate(t, x.shape());
        int n = x.size();
        switch (t) {
            case FLOAT: {
                float[] a = x.floats(), o = out.floats();
                ec.parallel().forRange(n, 1 << 15, (from, to) -> {
                    for (int i = from; i < to; i++) o[i] = applyFloat(a[i]);
                });
                break;
            }
            case FLOAT16: case BFLOAT16: {
                float[] a = x.floats();
                for (int i = 0; i < n; i++) out.setDouble(i, applyFloat(a[i]));
                break;
            }
            case DOUBLE: {
                double[] a = x.doubles(), o = out.doubles();
                for (int i = 0; i < n; i++) o[i] = apply(a[i]);
                break;
            }
            default:
                if (!acceptsIntegers() || t == DType.BOOL) {
                    throw new IllegalArgumentException(type() + " does not accept " + t + " tensors");
                }
                for (int i = 0; i < n; i++) out.setLong(i, applyLong(x.getLong(i)));
        }
        return out;
    }
}
