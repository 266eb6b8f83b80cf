package dev.kiln.runtime.kernels.gemm;

/** B read from a row-major matrix (K x N with row stride ldb), or its transpose (N x K) when trans. */
public final class MatrixB implements BPacker {
    private final float[] b;
    private final int off;
    private final int ldb;
    private final int n;
    private final boolean trans;

    public MatrixB(float[] b, int off, int ldb, int n, boolean trans) {
        this.b = b;
        this.off = off;
        this.ldb = ldb;
        this.n = n;
        this.trans = trans;
    }

    @Override
    public void pack(int k0, int kc, int p0, int np, int nr, float[] dst) {
        for (int p = 0; p < np; p++) {
            int col0 = (p0 + p) * nr;
            int cols = Math.max(0, Math.min(nr, n - col0));
            int d = p * kc * nr;
            if (!trans) {
                for (int k = 0; k < kc; k++) {
                    int src = off + (k0 + k) * ldb + col0;
                    System.arraycopy(b, src, dst, d, cols);
                    for (int j = cols; j < nr; j++) {
                        dst[d + j] = 0f;
                    }
                    d += nr;
                }
            } else {
                for (int j = 0; j < nr; j++) {
                    if (j < cols) {
                        int src = off + (col0 + j) * ldb + k0;
                        for (int k = 0; k < kc; k++) {
                            dst[d + k * nr + j] = b[src + k];
                        }
                    } else {
                        for (int k = 0; k < kc; k++) {
                            dst[d + k * nr + j] = 0f;
                        }
                    }
                }
            }
        }
    }
}
