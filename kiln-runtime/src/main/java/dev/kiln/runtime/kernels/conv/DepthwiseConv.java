package dev.kiln.runtime.kernels.conv;

import dev.kiln.runtime.util.Parallel;

/**
 * Direct 2-D depthwise convolution (one input channel per group): for each output channel, the
 * kernel taps are applied as whole-row multiply-adds with the padding handled by clipping the row
 * range, which the JIT vectorizes for unit stride.
 */
public final class DepthwiseConv {
    private DepthwiseConv() {
    }

    /**
     * @param x        input, batch n at x[n * cin * plane]
     * @param wt       weights [cout][kh][kw]
     * @param bias     per output channel, or null
     * @param out      output [batch][cout][oh][ow]
     * @param multiplier output channels per input channel
     */
    public static void run(float[] x, float[] wt, float[] bias, float[] out, int batch, int cin, int multiplier,
                           ConvShape s, float lo, float hi, Parallel par) {
        if (s.kd != 1 || s.d != 1) {
            throw new IllegalArgumentException("direct depthwise convolution is 2-D only");
        }
        int cout = cin * multiplier;
        int inPlane = s.h * s.w;
        int outPlane = s.oh * s.ow;
        int ksz = s.kh * s.kw;
        boolean clamp = lo != Float.NEGATIVE_INFINITY || hi != Float.POSITIVE_INFINITY;
        par.forRange(batch * cout, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int b = t / cout;
                int oc = t - b * cout;
                int ic = oc / multiplier;
                int xb = (b * cin + ic) * inPlane;
                int ob = (b * cout + oc) * outPlane;
                int wb = oc * ksz;
                float bv = bias == null ? 0f : bias[oc];
                for (int oy = 0; oy < s.oh; oy++) {
                    int orow = ob + oy * s.ow;
                    java.util.Arrays.fill(out, orow, orow + s.ow, bv);
                    for (int ky = 0; ky < s.kh; ky++) {
                        int iy = oy * s.sh - s.ph + ky * s.dh;
                        if (iy < 0 || iy >= s.h) {
                            continue;
                        }
                        int irow = xb + iy * s.w;
                        for (int kx = 0; kx < s.kw; kx++) {
                            float wv = wt[wb + ky * s.kw + kx];
                            int ix0 = -s.pw + kx * s.dw;
                            int oxLo = ix0 >= 0 ? 0 : (-ix0 + s.sw - 1) / s.sw;
                            int oxHi = ix0 >= s.w ? 0 : Math.min(s.ow, (s.w - ix0 + s.sw - 1) / s.sw);
                            if (s.sw == 1) {
                                int src = irow + ix0;
                                for (int ox = oxLo; ox < oxHi; ox++) {
                                    out[orow + ox] += wv * x[src + ox];
                                }
                            } else {
                                for (int ox = oxLo; ox < oxHi; ox++) {
                                    out[orow + ox] += wv * x[irow + ix0 + ox * s.sw];
                                }
                            }
                        }
                    }
                    if (clamp) {
                        for (int ox = 0; ox < s.ow; ox++) {
                            out[orow + ox] = Math.min(Math.max(out[orow + ox], lo), hi);
                        }
                    }
                }
            }
        });
    }
}
