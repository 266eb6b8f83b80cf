package dev.kiln.runtime.kernels.gemm;

/**
 * B given as rows of a larger array: row k is {@code x[rowOff[k] .. rowOff[k] + n)}. Convolution
 * inputs read this way need no im2col: for a unit-stride convolution over a zero-padded input,
 * row (c, ky, kx) is the padded plane of c shifted by ky*Wp + kx. Packing copies row segments.
 */
public final class RowsB implements BPacker {
    private final float[] x;
    private final int[] rowOff;
    private final int n;

    public RowsB(float[] x, int[] rowOff, int n) {
        this.x = x;
        this.rowOff = rowOff;
        this.n = n;
    }

    @Override
    public void pack(int k0, int kc, int p0, int np, int nr, float[] dst) {
        for (int p = 0; p < np; p++) {
            int col0 = (p0 + p) * nr;
            int cols = Math.max(0, Math.min(nr, n - col0));
            int d = p * kc * nr;
            for (int k = 0; k < kc; k++, d += nr) {
                System.arraycopy(x, rowOff[k0 + k] + col0, dst, d, cols);
                for (int t = cols; t < nr; t++) {
                    dst[d + t] = 0f;
                }
            }
        }
    }
}
