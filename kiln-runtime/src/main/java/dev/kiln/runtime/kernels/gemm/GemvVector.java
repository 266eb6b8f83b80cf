package dev.kiln.runtime.kernels.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API loops of {@link Gemv}; loaded only when {@code Simd.ENABLED}. */
final class GemvVector {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private GemvVector() {
    }

    /**
     * Dot products of x with n rows of w, four rows at a time so each load of x serves four
     * rows; two accumulators per row hide the FMA latency. Lanes are summed at the end, then the
     * scalar tail of k is added.
     */
    static void dots(float[] x, int xo, float[] w, int wo, int ldw, int k, int n, float[] y, int yo) {
        int kv = k - k % (2 * L);
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int r0 = wo + j * ldw;
            int r1 = r0 + ldw;
            int r2 = r1 + ldw;
            int r3 = r2 + ldw;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            FloatVector b0 = a0;
            FloatVector b1 = a0;
            FloatVector b2 = a0;
            FloatVector b3 = a0;
            for (int kk = 0; kk < kv; kk += 2 * L) {
                FloatVector xv = FloatVector.fromArray(S, x, xo + kk);
                FloatVector xw = FloatVector.fromArray(S, x, xo + kk + L);
                a0 = xv.fma(FloatVector.fromArray(S, w, r0 + kk), a0);
                a1 = xv.fma(FloatVector.fromArray(S, w, r1 + kk), a1);
                a2 = xv.fma(FloatVector.fromArray(S, w, r2 + kk), a2);
                a3 = xv.fma(FloatVector.fromArray(S, w, r3 + kk), a3);
                b0 = xw.fma(FloatVector.fromArray(S, w, r0 + kk + L), b0);
                b1 = xw.fma(FloatVector.fromArray(S, w, r1 + kk + L), b1);
                b2 = xw.fma(FloatVector.fromArray(S, w, r2 + kk + L), b2);
                b3 = xw.fma(FloatVector.fromArray(S, w, r3 + kk + L), b3);
            }
            float s0 = a0.add(b0).reduceLanes(VectorOperators.ADD);
            float s1 = a1.add(b1).reduceLanes(VectorOperators.ADD);
            float s2 = a2.add(b2).reduceLanes(VectorOperators.ADD);
            float s3 = a3.add(b3).reduceLanes(VectorOperators.ADD);
            for (int kk = kv; kk < k; kk++) {
                float xs = x[xo + kk];
                s0 = Math.fma(xs, w[r0 + kk], s0);
                s1 = Math.fma(xs, w[r1 + kk], s1);
                s2 = Math.fma(xs, w[r2 + kk], s2);
                s3 = Math.fma(xs, w[r3 + kk], s3);
            }
            y[yo + j] = s0;
            y[yo + j + 1] = s1;
            y[yo + j + 2] = s2;
            y[yo + j + 3] = s3;
        }
        for (; j < n; j++) {
            int r0 = wo + j * ldw;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector b0 = a0;
            for (int kk = 0; kk < kv; kk += 2 * L) {
                a0 = FloatVector.fromArray(S, x, xo + kk).fma(FloatVector.fromArray(S, w, r0 + kk), a0);
                b0 = FloatVector.fromArray(S, x, xo + kk + L).fma(FloatVector.fromArray(S, w, r0 + kk + L), b0);
            }
            float s0 = a0.add(b0).reduceLanes(VectorOperators.ADD);
            for (int kk = kv; kk < k; kk++) {
                s0 = Math.fma(x[xo + kk], w[r0 + kk], s0);
            }
            y[yo + j] = s0;
        }
    }

    /**
     * y = sum_k x[k] * row k of b, four vectors of columns at a time (then one vector, then scalar
     * columns); each column sums its terms in order of k with fused multiply-adds, exactly as the
     * scalar reference does.
     */
    static void axpy(float[] x, int xo, float[] b, int bo, int ldb, int k, int n, float[] y, int yo) {
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int row = bo + j;
            for (int kk = 0; kk < k; kk++, row += ldb) {
                FloatVector xv = FloatVector.broadcast(S, x[xo + kk]);
                a0 = xv.fma(FloatVector.fromArray(S, b, row), a0);
                a1 = xv.fma(FloatVector.fromArray(S, b, row + L), a1);
                a2 = xv.fma(FloatVector.fromArray(S, b, row + 2 * L), a2);
                a3 = xv.fma(FloatVector.fromArray(S, b, row + 3 * L), a3);
            }
            a0.intoArray(y, yo + j);
            a1.intoArray(y, yo + j + L);
            a2.intoArray(y, yo + j + 2 * L);
            a3.intoArray(y, yo + j + 3 * L);
        }
        for (; j + L <= n; j += L) {
            FloatVector a0 = FloatVector.zero(S);
            int row = bo + j;
            for (int kk = 0; kk < k; kk++, row += ldb) {
                a0 = FloatVector.broadcast(S, x[xo + kk]).fma(FloatVector.fromArray(S, b, row), a0);
            }
            a0.intoArray(y, yo + j);
        }
        if (j < n) {
            Gemv.axpyScalar(x, xo, b, bo + j, ldb, k, n - j, y, yo + j);
        }
    }
}
