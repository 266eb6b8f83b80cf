package dev.kiln.runtime.kernels.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector API loop of {@link TransposedRows}; loaded only when {@code Simd.ENABLED}. */
final class TransposedRowsVector {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private TransposedRowsVector() {
    }

    /** Whole vectors of positions from p0; returns where the scalar tail starts. */
    static int row(float[] t, int ld, int r, int p0, int p1, float bias, float[] res, float[] y, int dst, float lo,
                   float hi, int[] map) {
        FloatVector vb = FloatVector.broadcast(S, bias);
        int p = p0;
        for (; p + L <= p1; p += L) {
            FloatVector v = FloatVector.fromArray(S, t, p * ld + r, map, 0).add(vb);
            if (res != null) {
                v = v.add(FloatVector.fromArray(S, res, dst + p));
            }
            v.max(lo).min(hi).intoArray(y, dst + p);
        }
        return p;
    }
}
