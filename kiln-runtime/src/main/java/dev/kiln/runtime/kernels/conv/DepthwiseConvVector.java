package dev.kiln.runtime.kernels.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector API rows of {@link DepthwiseConv}; loaded only when {@code Simd.ENABLED}. */
final class DepthwiseConvVector {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private DepthwiseConvVector() {
    }

    /**
     * One output plane, computed on the padded grid into acc (oh * wq + L floats) and compacted;
     * planes must hold L readable floats past every tap's last grid position.
     */
    static void plane(float[] planes, float[] wt, int wBase, int[] tapOff, int wq, float bias, float[] out, int ob,
                      int oh, int ow, float[] acc, float lo, float hi) {
        int taps = tapOff.length;
        int n = oh * wq;
        FloatVector vb = FloatVector.broadcast(S, bias);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        for (int p = 0; p < n; p += L) {
            FloatVector a = vb;
            for (int t = 0; t < taps; t++) {
                a = FloatVector.fromArray(S, planes, tapOff[t] + p).fma(FloatVector.broadcast(S, wt[wBase + t]), a);
            }
            a.max(vlo).min(vhi).intoArray(acc, p);
        }
        DepthwiseConv.copyRows(acc, wq, out, ob, oh, ow);
    }
}
