package dev.kiln.runtime.kernels.pool;

import dev.kiln.runtime.kernels.Simd;

/**
 * Sums of int8 values into an int32, for integer average pooling. int32 addition wraps and is
 * associative, so the Vector API version (chosen by {@link Simd}), which adds lane-wise partial
 * sums first, gives exactly the scalar reference's result.
 */
public final class ByteSums {
    private ByteSums() {
    }

    /** x[from] + ... + x[from + n - 1], as int32. */
    public static int sum(byte[] x, int from, int n) {
        int done = 0;
        int s = 0;
        if (Simd.ENABLED && ByteSumsVector.USABLE && n >= ByteSumsVector.L) {
            done = n - n % ByteSumsVector.L;
            s = ByteSumsVector.sum(x, from, done);
        }
        return s + sumScalar(x, from + done, n - done);
    }

    /** The scalar reference of {@link #sum}. */
    public static int sumScalar(byte[] x, int from, int n) {
        int s = 0;
        for (int i = from, e = from + n; i < e; i++) s += x[i];
        return s;
    }
}
