package dev.kiln.runtime.ops.elementwise;

/** Div: a / b with numpy broadcasting; integer division truncates toward zero like C. */
public final class DivKernel extends BinaryKernel {
    public static final DivKernel INSTANCE = new DivKernel();

    private DivKernel() {
        super("Div", 38);
    }

    @Override
    protected double apply(double a, double b) {
        return a / b;
    }

    @Override
    protected float applyFloat(float a, float b) {
        return a / b;
    }

    @Override
    protected void applyFloats(float[] x, int a, int sa, float[] y, int b, int sb, float[] out, int o, int n) {
        if (sa == sb) {
            for (int k = 0; k < n; k++) out[o + k] = x[a + k] / y[b + k];
        } else if (sb == 0) {
            float c = y[b];
            for (int k = 0; k < n; k++) out[o + k] = x[a + k] / c;
        } else {
            float c = x[a];
            for (int k = 0; k < n; k++) out[o + k] = c / y[b + k];
        }
    }

    @Override
    protected long applyLong(long a, long b) {
        if (b == 0) {
            throw new IllegalArgumentException("integer division by zero");
        }
        return a / b;
    }

    @Override
    protected long applyUnsigned64(long a, long b) {
        if (b == 0) {
            throw new IllegalArgumentException("integer division by zero");
        }
        return Long.divideUnsigned(a, b);
    }
}
