package dev.kiln.runtime.kernels.gemm;

import dev.kiln.runtime.kernels.Simd;
import dev.kiln.runtime.util.Parallel;

/**
 * Products of one row vector with a matrix read in place, for GEMMs whose left operand has a single
 * row (classifier heads, batch 1): packing either operand would cost as much as the product itself,
 * which is bound by reading the matrix once. Two layouts:
 * <ul>
 *   <li>{@link #dots}: the matrix stored N x K (a transposed B, as in Gemm with transB=1): each
 *       output is the dot product of x with one row.</li>
 *   <li>{@link #axpy}: the matrix stored K x N (plain B): the output row accumulates x[k] times row
 *       k, in order of k, with fused multiply-adds.</li>
 * </ul>
 * The Vector API variants are chosen by {@link Simd}; the scalar versions here are the reference.
 */
public final class Gemv {
    /** Output columns per parallel task. */
    private static final int GRAIN = 64;

    private Gemv() {
    }

    /** y[yOff + j] = sum_k x[xOff + k] * w[wOff + j * ldw + k] for j in [0, n). */
    public static void dots(float[] x, int xOff, float[] w, int wOff, int ldw, int k, int n, float[] y, int yOff,
                            Parallel par) {
        boolean simd = Simd.ENABLED;
        par.forRange(n, GRAIN, (from, to) -> {
            if (simd) {
                GemvVector.dots(x, xOff, w, wOff + from * ldw, ldw, k, to - from, y, yOff + from);
            } else {
                dotsScalar(x, xOff, w, wOff + from * ldw, ldw, k, to - from, y, yOff + from);
            }
        });
    }

    /** y[yOff + j] = sum_k x[xOff + k] * b[bOff + k * ldb + j] for j in [0, n). */
    public static void axpy(float[] x, int xOff, float[] b, int bOff, int ldb, int k, int n, float[] y, int yOff,
                            Parallel par) {
        boolean simd = Simd.ENABLED;
        par.forRange(n, GRAIN, (from, to) -> {
            if (simd) {
                GemvVector.axpy(x, xOff, b, bOff + from, ldb, k, to - from, y, yOff + from);
            } else {
                axpyScalar(x, xOff, b, bOff + from, ldb, k, to - from, y, yOff + from);
            }
        });
    }

    /** The scalar reference of {@link #dots}, serially. */
    public static void dotsScalar(float[] x, int xOff, float[] w, int wOff, int ldw, int k, int n, float[] y,
                                  int yOff) {
        for (int j = 0; j < n; j++) {
            int row = wOff + j * ldw;
            float acc = 0f;
            for (int kk = 0; kk < k; kk++) {
                acc = Math.fma(x[xOff + kk], w[row + kk], acc);
            }
            y[yOff + j] = acc;
        }
    }

    /** The scalar reference of {@link #axpy}, serially. */
    public static void axpyScalar(float[] x, int xOff, float[] b, int bOff, int ldb, int k, int n, float[] y,
                                  int yOff) {
        java.util.Arrays.fill(y, yOff, yOff + n, 0f);
        for (int kk = 0; kk < k; kk++) {
            float xv = x[xOff + kk];
            int row = bOff + kk * ldb;
            for (int j = 0; j < n; j++) {
                y[yOff + j] = Math.fma(xv, b[row + j], y[yOff + j]);
            }
        }
    }
}
