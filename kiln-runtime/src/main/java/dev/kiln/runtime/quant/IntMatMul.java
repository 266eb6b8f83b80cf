package dev.kiln.runtime.quant;

import dev.kiln.runtime.util.Parallel;

/**
 * Integer matrix product with requantization: {@code out[i][j] = clamp(round_half_to_even((float)
 * (sum_k a[i][k] * b[k][j] + bias[j]) * M[j]), lo, hi)}, int32 accumulation. A multiplier per
 * column (per output feature of a Gemm or MatMul with per-channel weight scales) or one for all.
 * Operands are int values (int8 or int16 already widened).
 */
public final class IntMatMul {
    private IntMatMul() {
    }

    /**
     * @param a    [m][k] row-major
     * @param b    [k][n] row-major, or [n][k] when bTransposed
     * @param bias per column, or null
     * @param mult per column (length n) or a single value (length 1)
     */
    public static void multiply(int[] a, int aOff, int[] b, int bOff, boolean bTransposed, int m, int k, int n, int[] bias,
                                float[] mult, int lo, int hi, byte[] yb, short[] ys, int yOff, Parallel par) {
        par.forRange(m, Math.max(1, 4096 / Math.max(1, k * n / 64 + 1)), (from, to) -> {
            int[] acc = new int[n];
            for (int i = from; i < to; i++) {
                if (bias != null) {
                    System.arraycopy(bias, 0, acc, 0, n);
                } else {
                    java.util.Arrays.fill(acc, 0);
                }
                int ar = aOff + i * k;
                if (bTransposed) {
                    for (int j = 0; j < n; j++) {
                        int br = bOff + j * k;
                        int sum = 0;
                        for (int kk = 0; kk < k; kk++) {
                            sum += a[ar + kk] * b[br + kk];
                        }
                        acc[j] += sum;
                    }
                } else {
                    for (int kk = 0; kk < k; kk++) {
                        int av = a[ar + kk];
                        if (av == 0) {
                            continue;
                        }
                        int br = bOff + kk * n;
                        for (int j = 0; j < n; j++) {
                            acc[j] += av * b[br + j];
                        }
                    }
                }
                int o = yOff + i * n;
                for (int j = 0; j < n; j++) {
                    int q = QuantMath.requantize(acc[j], mult.length == 1 ? mult[0] : mult[j], 0, lo, hi);
                    if (yb != null) {
                        yb[o + j] = (byte) q;
                    } else {
                        ys[o + j] = (short) q;
                    }
                }
            }
        });
    }

    /** The values of an int8 or int16 array as ints. */
    public static int[] widen(byte[] b, short[] s, int off, int len) {
        int[] r = new int[len];
        if (b != null) {
            for (int i = 0; i < len; i++) {
                r[i] = b[off + i];
            }
        } else {
            for (int i = 0; i < len; i++) {
                r[i] = s[off + i];
            }
        }
        return r;
    }
}
