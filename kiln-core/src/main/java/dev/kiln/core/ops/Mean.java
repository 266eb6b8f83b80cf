package dev.kiln.core.ops;

import dev.kiln.runtime.ops.ExecContext;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/** Mean: elementwise mean of any number of float inputs with numpy broadcasting (sum, then times 1/n). */
public final class Mean extends BinaryElementwiseOp {
    private static final Add ADD = new Add();

    @Override
    public int opcode() {
        return 43;
    }

    @Override
    protected boolean variadic() {
        return true;
    }

    @Override
    protected boolean acceptsIntegers() {
        return false;
    }

    @Override
    protected double apply(double a, double b) {
        return a + b;
    }

    @Override
    protected float applyFloat(float a, float b) {
        return a + b;
    }

    @Override
    protected void applyFloats(float[] x, int a, int sa, float[] y, int b, int sb, float[] out, int o, int n) {
        ADD.applyFloats(x, a, sa, y, b, sb, out, o, n);
    }

    @Override
    protected Tensor finish(Tensor acc, int count, ExecContext ec) {
        Tensor out = Tensor.allocate(acc.dtype(), acc.shape());
        int n = acc.size();
        if (acc.dtype() == DType.DOUBLE) {
            double s = 1.0 / count;
            double[] a = acc.doubles(), o = out.doubles();
            for (int i = 0; i < n; i++) o[i] = a[i] * s;
        } else {
            float s = 1f / count;
            float[] a = acc.floats(), o = out.floats();
            for (int i = 0; i < n; i++) o[i] = a[i] * s;
            Elementwise.roundTo(acc.dtype(), o, 0, n);
        }
        return out;
    }
}
