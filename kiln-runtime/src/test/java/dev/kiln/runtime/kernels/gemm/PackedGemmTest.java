package dev.kiln.runtime.kernels.gemm;

import dev.kiln.runtime.util.Parallel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chosen micro-kernel against the scalar reference and a naive triple loop, at awkward sizes
 * around the tile and block edges. Run under several -XX:MaxVectorSize settings by the build
 * (see the vector-width executions in the parent POM) so every vector width is covered.
 */
class PackedGemmTest {
    private static final int[] SIZES = {1, 3, 7, 15, 16, 17, 63, 65};

    private static float[] random(SplittableRandom r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return f;
    }

    private static float[] naive(float[] a, float[] b, float[] bias, int m, int n, int k, float lo, float hi) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = bias == null ? 0 : bias[i];
                for (int kk = 0; kk < k; kk++) {
                    acc += (double) a[i * k + kk] * b[kk * n + j];
                }
                c[i * n + j] = (float) Math.min(Math.max(acc, lo), hi);
            }
        }
        return c;
    }

    @Test
    void kernelMatchesReferenceAtAwkwardSizes() {
        MicroKernel chosen = GemmKernels.get();
        PackedGemm fast = new PackedGemm(chosen);
        PackedGemm ref = new PackedGemm(GemmKernels.scalarLike(chosen));
        SplittableRandom r = new SplittableRandom(42);
        int[] depths = {1, 3, 17, 255, 256, 257, 1023};
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : depths) {
                    float[] a = random(r, m * k);
                    float[] b = random(r, k * n);
                    float[] bias = r.nextBoolean() ? random(r, m) : null;
                    float lo = r.nextBoolean() ? 0f : Float.NEGATIVE_INFINITY;
                    float[] c1 = new float[m * n];
                    float[] c2 = new float[m * n];
                    fast.multiply(fast.packA(a, 0, k, m, k, false), new MatrixB(b, 0, n, n, false), n, c1, 0, n,
                            bias, 0, lo, Float.POSITIVE_INFINITY, Parallel.of(2));
                    ref.multiply(ref.packA(a, 0, k, m, k, false), new MatrixB(b, 0, n, n, false), n, c2, 0, n,
                            bias, 0, lo, Float.POSITIVE_INFINITY, Parallel.serial());
                    float[] expect = naive(a, b, bias, m, n, k, lo, Float.POSITIVE_INFINITY);
                    for (int i = 0; i < m * n; i++) {
                        // Both kernels use fused multiply-add in the same order: identical bits.
                        assertEquals(c2[i], c1[i], 0f, "m=" + m + " n=" + n + " k=" + k + " element " + i);
                        assertEquals(expect[i], c1[i], 1e-4 * Math.max(1, Math.abs(expect[i])),
                                "vs naive, m=" + m + " n=" + n + " k=" + k);
                    }
                }
            }
        }
    }

    @Test
    void transposedOperandsAndLargeSizes() {
        SplittableRandom r = new SplittableRandom(7);
        PackedGemm g = PackedGemm.standard();
        int m = 130;
        int n = 1023;
        int k = 300;
        float[] at = random(r, k * m); // A stored K x M
        float[] bt = random(r, n * k); // B stored N x K
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < m; i++) {
            for (int kk = 0; kk < k; kk++) {
                a[i * k + kk] = at[kk * m + i];
            }
        }
        for (int kk = 0; kk < k; kk++) {
            for (int j = 0; j < n; j++) {
                b[kk * n + j] = bt[j * k + kk];
            }
        }
        float[] c = new float[m * n];
        g.multiply(g.packA(at, 0, m, m, k, true), new MatrixB(bt, 0, k, n, true), n, c, 0, n, null, 0,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Parallel.of(2));
        float[] expect = naive(a, b, null, m, n, k, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        for (int i = 0; i < c.length; i++) {
            assertEquals(expect[i], c[i], 1e-4 * Math.max(1, Math.abs(expect[i])));
        }
    }

    @Test
    void providerExplainsItsChoice() {
        assertTrue(GemmKernels.reason() != null && !GemmKernels.reason().isBlank());
        System.out.println("GEMM kernel: " + GemmKernels.reason());
    }
}
