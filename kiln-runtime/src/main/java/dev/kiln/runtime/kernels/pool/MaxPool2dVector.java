package dev.kiln.runtime.kernels.pool;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API version of {@link MaxPool2d#plane}; loaded only when {@code Simd.ENABLED}. */
final class MaxPool2dVector {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private MaxPool2dVector() {
    }

    static void plane(float[] x, int xo, int h, int w, float[] y, int yo, int oh, int ow, MaxPool2d.Rows rows,
                      int kw, int stride, int padL, int first) {
        int len = MaxPool2d.bufferLength(w, ow, kw, stride, padL, first);
        float[] buf = new float[len + L];
        float[] hmax = new float[len + L];
        java.util.Arrays.fill(buf, -Float.MAX_VALUE);
        int span = first + (ow - 1) * stride + 1;
        for (int oy = 0; oy < oh; oy++) {
            int lo = rows.rowLo()[oy];
            int hi = rows.rowHi()[oy];
            int out = yo + oy * ow;
            if (hi <= lo) {
                java.util.Arrays.fill(y, out, out + ow, -Float.MAX_VALUE);
                continue;
            }
            int i = 0;
            int r0 = xo + lo * w;
            for (; i <= w - L; i += L) {
                FloatVector m = FloatVector.fromArray(S, x, r0 + i);
                for (int r = lo + 1; r < hi; r++) {
                    m = m.max(FloatVector.fromArray(S, x, xo + r * w + i));
                }
                m.intoArray(buf, padL + i);
            }
            for (; i < w; i++) {
                float m = x[r0 + i];
                for (int r = lo + 1; r < hi; r++) {
                    m = Math.max(m, x[xo + r * w + i]);
                }
                buf[padL + i] = m;
            }
            // hmax[j] = max(buf[j .. j + kw - 1]) for every j an output window starts at
            int j = 0;
            for (; j <= span - L; j += L) {
                FloatVector m = FloatVector.fromArray(S, buf, j);
                for (int kx = 1; kx < kw; kx++) {
                    m = m.max(FloatVector.fromArray(S, buf, j + kx));
                }
                m.intoArray(hmax, j);
            }
            for (; j < span; j++) {
                float m = buf[j];
                for (int kx = 1; kx < kw; kx++) {
                    m = Math.max(m, buf[j + kx]);
                }
                hmax[j] = m;
            }
            for (int ox = 0; ox < ow; ox++) {
                y[out + ox] = hmax[first + ox * stride];
            }
        }
    }
}
