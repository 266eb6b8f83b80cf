package dev.kiln.runtime.ops.elementwise;

/** a + b in every type: the arithmetic of Add, Sum and Mean. */
abstract class Addition extends BinaryKernel {
    Addition(String opType, int opcode) {
        super(opType, opcode);
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
        if (sa == sb) {
            for (int k = 0; k < n; k++) out[o + k] = x[a + k] + y[b + k];
        } else if (sb == 0) {
            float c = y[b];
            for (int k = 0; k < n; k++) out[o + k] = x[a + k] + c;
        } else {
            float c = x[a];
            for (int k = 0; k < n; k++) out[o + k] = c + y[b + k];
        }
    }

    @Override
    protected long applyLong(long a, long b) {
        return a + b;
    }
}
