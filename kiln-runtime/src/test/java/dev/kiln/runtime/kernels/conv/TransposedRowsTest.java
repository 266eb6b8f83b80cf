package dev.kiln.runtime.kernels.conv;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The chosen transposed-row copy against the scalar reference, bit for bit, at awkward sizes and every vector width. */
class TransposedRowsTest {
    @Test
    void equalsScalarReference() {
        SplittableRandom r = new SplittableRandom(21);
        for (int ld : new int[] {1, 3, 16, 17, 65}) {
            for (int n : new int[] {1, 3, 7, 15, 16, 17, 63, 65, 1023}) {
                float[] t = new float[n * ld + 2];
                for (int i = 0; i < t.length; i++) {
                    t[i] = (float) (r.nextDouble() * 4 - 2);
                }
                float[] res = r.nextBoolean() ? new float[n + 5] : null;
                if (res != null) {
                    for (int i = 0; i < res.length; i++) {
                        res[i] = (float) r.nextDouble();
                    }
                }
                int ch = ld - 1;
                float[] a = new float[n + 5];
                float[] b = new float[n + 5];
                TransposedRows.row(t, ld, ch, 1, n, 0.25f, res, a, 3, -1f, 1.5f, TransposedRows.gatherMap(ld));
                TransposedRows.rowScalar(t, ld, ch, 1, n, 0.25f, res, b, 3, -1f, 1.5f);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToIntBits(b[i]), Float.floatToIntBits(a[i]), "ld=" + ld + " n=" + n + " at " + i);
                }
                // the reference itself: clamp(t[p * ld + ch] + bias + res)
                for (int p = 1; p < n; p++) {
                    float v = t[p * ld + ch] + 0.25f + (res == null ? 0f : res[3 + p]);
                    assertEquals(Math.min(Math.max(v, -1f), 1.5f), b[3 + p]);
                }
            }
        }
    }
}
