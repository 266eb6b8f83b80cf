package dev.kiln.runtime.kernels.pool;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The int8 sums (Vector API when enabled) against the scalar reference at awkward lengths and offsets. */
class ByteSumsTest {
    @Test
    void sumEqualsScalarReference() {
        SplittableRandom r = new SplittableRandom(6);
        for (int n : new int[] {0, 1, 3, 7, 15, 16, 17, 63, 65, 1023, 70000}) {
            byte[] x = new byte[n + 5];
            for (int i = 0; i < x.length; i++) {
                int p = r.nextInt(4);
                x[i] = (byte) (p == 0 ? -128 : p == 1 ? 127 : r.nextInt(256));
            }
            for (int from : new int[] {0, 1, 5}) {
                assertEquals(ByteSums.sumScalar(x, from, n), ByteSums.sum(x, from, n), "n " + n + " from " + from);
            }
        }
    }
}
