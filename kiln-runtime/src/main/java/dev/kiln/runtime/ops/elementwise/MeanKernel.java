package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/** Mean: elementwise mean of any number of float inputs with numpy broadcasting (sum, then times 1/n). */
public final class MeanKernel extends Addition {
    public static final MeanKernel INSTANCE = new MeanKernel();

    private MeanKernel() {
        super("Mean", 43);
    }

    @Override
    public boolean variadic() {
        return true;
    }

    @Override
    protected boolean acceptsIntegers() {
        return false;
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
