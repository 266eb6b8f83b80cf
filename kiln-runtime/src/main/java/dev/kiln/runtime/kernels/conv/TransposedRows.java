package dev.kiln.runtime.kernels.conv;

import dev.kiln.runtime.kernels.Simd;

/**
 * Rows of a convolution output taken from a GEMM result computed transposed (positions on the
 * rows, channels on the columns): y[dst + p] = clamp(t[p * ld + r] + bias (+ res[dst + p])) for
 * one channel r and a range of positions p. The Vector API variant gathers a vector of positions
 * at once (stride ld); the scalar loop is the reference and gives the same bits.
 */
final class TransposedRows {
    private TransposedRows() {
    }

    /** Offsets i * ld for i below the vector length: the gather map for {@link #row}. */
    static int[] gatherMap(int ld) {
        int n = Simd.ENABLED ? TransposedRowsVector.L : 1;
        int[] map = new int[n];
        for (int i = 0; i < n; i++) {
            map[i] = i * ld;
        }
        return map;
    }

    static void row(float[] t, int ld, int r, int p0, int p1, float bias, float[] res, float[] y, int dst, float lo,
                    float hi, int[] map) {
        int done = Simd.ENABLED ? TransposedRowsVector.row(t, ld, r, p0, p1, bias, res, y, dst, lo, hi, map) : p0;
        rowScalar(t, ld, r, done, p1, bias, res, y, dst, lo, hi);
    }

    static void rowScalar(float[] t, int ld, int r, int p0, int p1, float bias, float[] res, float[] y, int dst,
                          float lo, float hi) {
        for (int p = p0; p < p1; p++) {
            float v = t[p * ld + r] + bias;
            if (res != null) {
                v += res[dst + p];
            }
            y[dst + p] = Math.min(Math.max(v, lo), hi);
        }
    }
}
