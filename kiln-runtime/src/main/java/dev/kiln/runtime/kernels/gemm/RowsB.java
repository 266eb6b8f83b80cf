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
    private final int[] colAt;

    public RowsB(float[] x, int[] rowOff, int n) {
        this(x, rowOff, n, null);
    }

    /**
     * Columns picked from the rows through a map: column j of row k is {@code x[rowOff[k] + colAt[j]]}
     * (e.g. the output positions of a convolution computed on a padded grid, without the grid's
     * extra columns). A null map is the identity.
     */
    public RowsB(float[] x, int[] rowOff, int n, int[] colAt) {
        this.x = x;
        this.rowOff = rowOff;
        this.n = n;
        this.colAt = colAt;
    }

    @Override
    public void pack(int k0, int kc, int p0, int np, int nr, float[] dst) {
        for (int p = 0; p < np; p++) {
            int col0 = (p0 + p) * nr;
            int cols = Math.max(0, Math.min(nr, n - col0));
            int d = p * kc * nr;
            for (int k = 0; k < kc; k++, d += nr) {
                int row = rowOff[k0 + k];
                if (colAt == null) {
                    System.arraycopy(x, row + col0, dst, d, cols);
                } else {
                    for (int t = 0; t < cols; t++) {
                        dst[d + t] = x[row + colAt[col0 + t]];
                    }
                }
                for (int t = cols; t < nr; t++) {
                    dst[d + t] = 0f;
                }
            }
        }
    }
}
