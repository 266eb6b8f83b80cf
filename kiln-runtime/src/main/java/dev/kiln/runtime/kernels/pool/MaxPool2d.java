package dev.kiln.runtime.kernels.pool;

import dev.kiln.runtime.kernels.Simd;

/**
 * 2-D max pooling of one plane without dilation (the CNN case). For each output row the input rows
 * under its window are maxed into a row buffer bordered by -FLT_MAX, so the horizontal windows need
 * no bounds checks; then each output takes the max of its kernel-wide slice. NaN propagates. The
 * Vector API version (chosen by {@link Simd}) does the same with whole-vector max and shifted loads.
 */
public final class MaxPool2d {
    /** Output row geometry: for row oy, input rows [rowLo[oy], rowHi[oy]) (already clipped). */
    public record Rows(int[] rowLo, int[] rowHi) {
    }

    private MaxPool2d() {
    }

    /**
     * @param first buffer position of output 0's first tap: padLeft + leftmost start (>= 0)
     * @param padL  left border of the row buffer (>= -start of output 0)
     */
    public static void plane(float[] x, int xo, int h, int w, float[] y, int yo, int oh, int ow, Rows rows,
                             int kw, int stride, int padL, int first) {
        if (Simd.ENABLED && w >= 16) {
            MaxPool2dVector.plane(x, xo, h, w, y, yo, oh, ow, rows, kw, stride, padL, first);
        } else {
            scalarPlane(x, xo, h, w, y, yo, oh, ow, rows, kw, stride, padL, first);
        }
    }

    /** Length of the row buffer for this geometry. */
    static int bufferLength(int w, int ow, int kw, int stride, int padL, int first) {
        return Math.max(padL + w, first + (ow - 1) * stride + kw) + 64;
    }

    /** The scalar reference. */
    public static void scalarPlane(float[] x, int xo, int h, int w, float[] y, int yo, int oh, int ow, Rows rows,
                                   int kw, int stride, int padL, int first) {
        float[] buf = new float[bufferLength(w, ow, kw, stride, padL, first)];
        java.util.Arrays.fill(buf, -Float.MAX_VALUE);
        for (int oy = 0; oy < oh; oy++) {
            int lo = rows.rowLo()[oy];
            int hi = rows.rowHi()[oy];
            int out = yo + oy * ow;
            if (hi <= lo) {
                java.util.Arrays.fill(y, out, out + ow, -Float.MAX_VALUE);
                continue;
            }
            System.arraycopy(x, xo + lo * w, buf, padL, w);
            for (int r = lo + 1; r < hi; r++) {
                int src = xo + r * w;
                for (int i = 0; i < w; i++) {
                    buf[padL + i] = Math.max(buf[padL + i], x[src + i]);
                }
            }
            for (int ox = 0; ox < ow; ox++) {
                int b = first + ox * stride;
                float m = buf[b];
                for (int kx = 1; kx < kw; kx++) {
                    m = Math.max(m, buf[b + kx]);
                }
                y[out + ox] = m;
            }
        }
    }
}
