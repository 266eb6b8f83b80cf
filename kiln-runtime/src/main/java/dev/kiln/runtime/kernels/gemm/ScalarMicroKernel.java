package dev.kiln.runtime.kernels.gemm;

/** The reference micro-kernel: plain Java loops, any MR and NR. */
public final class ScalarMicroKernel implements MicroKernel {
    private final int mr;
    private final int nr;

    public ScalarMicroKernel(int mr, int nr) {
        this.mr = mr;
        this.nr = nr;
    }

    @Override
    public int mr() {
        return mr;
    }

    @Override
    public int nr() {
        return nr;
    }

    @Override
    public void tile(float[] a, int ao, float[] b, int bo, int kc, float[] c, int co, int ldc,
                     boolean accumulate, float[] bias, int biasOff, boolean last, float lo, float hi) {
        float[] acc = new float[mr * nr];
        for (int r = 0; r < mr; r++) {
            for (int j = 0; j < nr; j++) {
                acc[r * nr + j] = accumulate ? c[co + r * ldc + j] : (bias == null ? 0f : bias[biasOff + r]);
            }
        }
        for (int k = 0; k < kc; k++) {
            int ak = ao + k * mr;
            int bk = bo + k * nr;
            for (int r = 0; r < mr; r++) {
                float av = a[ak + r];
                for (int j = 0; j < nr; j++) {
                    acc[r * nr + j] = Math.fma(av, b[bk + j], acc[r * nr + j]);
                }
            }
        }
        for (int r = 0; r < mr; r++) {
            for (int j = 0; j < nr; j++) {
                float v = acc[r * nr + j];
                if (last) {
                    v = Math.min(Math.max(v, lo), hi);
                }
                c[co + r * ldc + j] = v;
            }
        }
    }

    @Override
    public String description() {
        return "scalar reference, " + mr + "x" + nr + " tiles";
    }
}
