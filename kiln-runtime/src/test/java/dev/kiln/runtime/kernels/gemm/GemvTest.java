package dev.kiln.runtime.kernels.gemm;

import dev.kiln.runtime.util.Parallel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Matrix-vector products (the chosen kernels, through the parallel entry points) against the
 * scalar reference and a double-precision sum, at awkward sizes and with offsets and padded row
 * strides. Run at every vector width by the build.
 */
class GemvTest {
    private static final int[] SIZES = {1, 3, 7, 15, 16, 17, 63, 65, 1023};

    private static float[] random(SplittableRandom r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return f;
    }

    @Test
    void dotsMatchReference() {
        SplittableRandom r = new SplittableRandom(3);
        for (int k : SIZES) {
            for (int n : SIZES) {
                int ldw = k + 5;
                float[] x = random(r, k + 2);
                float[] w = random(r, 3 + n * ldw);
                float[] y = new float[n + 1];
                float[] ref = new float[n + 1];
                Gemv.dots(x, 2, w, 3, ldw, k, n, y, 1, Parallel.of(2));
                Gemv.dotsScalar(x, 2, w, 3, ldw, k, n, ref, 1);
                for (int j = 0; j < n; j++) {
                    double exact = 0;
                    for (int kk = 0; kk < k; kk++) {
                        exact += (double) x[2 + kk] * w[3 + j * ldw + kk];
                    }
                    // lanes are summed in another order than the reference's: rounding differs
                    assertEquals(exact, y[1 + j], 1e-5 * Math.max(1, Math.sqrt(k)), "k=" + k + " n=" + n + " j=" + j);
                    assertEquals(exact, ref[1 + j], 1e-5 * Math.max(1, Math.sqrt(k)), "reference k=" + k + " n=" + n);
                }
                assertEquals(0f, y[0]);
            }
        }
    }

    @Test
    void axpyEqualsReferenceBitForBit() {
        SplittableRandom r = new SplittableRandom(4);
        for (int k : SIZES) {
            for (int n : SIZES) {
                int ldb = n + 3;
                float[] x = random(r, k + 1);
                float[] b = random(r, 2 + k * ldb);
                float[] y = random(r, n + 4);
                float[] ref = y.clone();
                Gemv.axpy(x, 1, b, 2, ldb, k, n, y, 4 - 1, Parallel.of(2));
                Gemv.axpyScalar(x, 1, b, 2, ldb, k, n, ref, 4 - 1);
                for (int j = 0; j < n + 4; j++) {
                    // every column sums its k terms in order with fused multiply-adds
                    assertEquals(ref[j], y[j], 0f, "k=" + k + " n=" + n + " j=" + j);
                }
                for (int j = 0; j < n; j++) {
                    double exact = 0;
                    for (int kk = 0; kk < k; kk++) {
                        exact += (double) x[1 + kk] * b[2 + kk * ldb + j];
                    }
                    assertEquals(exact, y[3 + j], 1e-5 * Math.max(1, Math.sqrt(k)));
                }
            }
        }
    }
}
