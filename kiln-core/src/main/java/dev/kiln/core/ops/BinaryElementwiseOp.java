package dev.kiln.core.ops;

import dev.kiln.runtime.kernels.Broadcast;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Base of two-input elementwise operators with numpy broadcasting (Add, Mul, Pow, Equal...). The
 * output has the inputs' element type unless {@link #outputType} says otherwise (BOOL for
 * comparisons). Float types compute in float32, DOUBLE in double, integer types in long.
 */
public abstract class BinaryElementwiseOp extends Op {
    protected abstract double apply(double a, double b);

    protected float applyFloat(float a, float b) {
        return (float) apply(a, b);
    }

    /** Integer version; ops that accept integer tensors override it and {@link #acceptsIntegers}. */
    protected long applyLong(long a, long b) {
        throw new UnsupportedOperationException(type() + " does not accept integer tensors");
    }

    protected boolean acceptsIntegers() {
        return true;
    }

    /** Output element type for the given input type (the input's type by default). */
    protected DType outputType(DType input) {
        return input;
    }

    /** Attribute parsing hook for ops such as Mod(fmod). */
    protected BinaryElementwiseOp configure(OpContext ctx) {
        return this;
    }

    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        ctx.setOutput(0, t == null ? null : outputType(t), Infer.broadcast(ctx.inputShape(0), ctx.inputShape(1)));
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        BinaryElementwiseOp f = configure(ctx);
        return (in, ec) -> new Tensor[] {f.compute(in[0], in[1])};
    }

    Tensor compute(Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(type() + " inputs have different element types: " + a.dtype()
                    + " and " + b.dtype());
        }
        DType t = a.dtype();
        int[] shape = Shapes.broadcast(a.shape(), b.shape());
        Tensor out = Tensor.allocate(outputType(t), shape);
        if (t == DType.FLOAT && out.dtype() == DType.FLOAT) {
            float[] x = a.floats(), y = b.floats(), o = out.floats();
            Broadcast.forEach(a.shape(), b.shape(), shape, (oo, ia, sa, ib, sb, n) -> {
                for (int k = 0; k < n; k++) o[oo + k] = applyFloat(x[ia + k * sa], y[ib + k * sb]);
            });
        } else if (t.isFloatStorage()) {
            float[] x = a.floats(), y = b.floats();
            Broadcast.forEach(a.shape(), b.shape(), shape, (oo, ia, sa, ib, sb, n) -> {
                for (int k = 0; k < n; k++) out.setDouble(oo + k, applyFloat(x[ia + k * sa], y[ib + k * sb]));
            });
        } else if (t == DType.DOUBLE) {
            double[] x = a.doubles(), y = b.doubles();
            Broadcast.forEach(a.shape(), b.shape(), shape, (oo, ia, sa, ib, sb, n) -> {
                for (int k = 0; k < n; k++) out.setDouble(oo + k, apply(x[ia + k * sa], y[ib + k * sb]));
            });
        } else {
            if (!acceptsIntegers()) {
                throw new IllegalArgumentException(type() + " does not accept " + t + " tensors");
            }
            Broadcast.forEach(a.shape(), b.shape(), shape, (oo, ia, sa, ib, sb, n) -> {
                for (int k = 0; k < n; k++) out.setLong(oo + k, applyLong(a.getLong(ia + k * sa), b.getLong(ib + k * sb)));
            });
        }
        return out;
    }
}
