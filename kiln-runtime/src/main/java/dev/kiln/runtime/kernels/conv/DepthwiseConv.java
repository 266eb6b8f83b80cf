package dev.kiln.runtime.kernels.conv;

import dev.kiln.runtime.kernels.Simd;
import dev.kiln.runtime.kernels.math.Activation;
import dev.kiln.runtime.util.Parallel;


/**
 * Direct 2-D depthwise convolution (one input channel per group, any channel multiplier). Each
 * input plane is copied once into a zero-padded buffer split by stride phase (as {@link FloatConv}
 * does for whole images). The output is then computed on the padded grid (oh rows of wq columns,
 * the columns past ow dropped at the end), where every kernel tap is one contiguous multiply-add of
 * the whole shifted plane: long unit-stride runs even for 7x7 planes, no bounds checks, whatever
 * the stride, padding or dilation. The Vector API variant (chosen by {@link Simd}) runs them on
 * whole vectors.
 */
public final class DepthwiseConv {
    private DepthwiseConv() {
    }

    /**
     * @param x          input, batch n at x[n * cin * plane]
     * @param wt         weights [cout][kh][kw]
     * @param bias       per output channel, or null
     * @param out        output [batch][cout][oh][ow]
     * @param multiplier output channels per input channel
     */
    public static void run(float[] x, float[] wt, float[] bias, float[] out, int batch, int cin, int multiplier,
                           ConvShape s, float lo, float hi, Parallel par) {
        run(x, wt, bias, out, batch, cin, multiplier, s, lo, hi, Activation.NONE, par);
    }

    /** As above, then {@code act} applied to each output plane as it is finished. */
    public static void run(float[] x, float[] wt, float[] bias, float[] out, int batch, int cin, int multiplier,
                           ConvShape s, float lo, float hi, Activation act, Parallel par) {
        if (s.kd != 1 || s.d != 1) {
            throw new IllegalArgumentException("direct depthwise convolution is 2-D only");
        }
        int cout = cin * multiplier;
        int inPlane = s.h * s.w;
        int outPlane = s.oh * s.ow;
        int hq = (s.h + s.ph + s.ph2 + s.sh - 1) / s.sh;
        int wq = (s.w + s.pw + s.pw2 + s.sw - 1) / s.sw;
        // every tap's row shift inside the phase planes; reads stay inside the padded area
        int[] tapOff = FloatConv.phaseRowOffsets(1, s, hq, wq);
        boolean simd = Simd.ENABLED;
        par.forRange(batch * cin, 1, (from, to) -> {
            float[] acc = new float[s.oh * wq + 64];
            // one padded plane buffer per task: same geometry every time, so its padding stays zero
            float[] planes = new float[s.sh * s.sw * hq * wq + (s.kw - 1) * s.dw / s.sw + 64];
            for (int t = from; t < to; t++) {
                int b = t / cin;
                int ic = t - b * cin;
                FloatConv.phasesInto(planes, x, (b * cin + ic) * inPlane, 0, 1, s, hq, wq);
                for (int j = 0; j < multiplier; j++) {
                    int oc = ic * multiplier + j;
                    int ob = (b * cout + oc) * outPlane;
                    float bv = bias == null ? 0f : bias[oc];
                    if (simd) {
                        DepthwiseConvVector.plane(planes, wt, oc * s.kh * s.kw, tapOff, wq, bv, out, ob, s.oh, s.ow,
                                acc, lo, hi);
                    } else {
                        scalarPlane(planes, wt, oc * s.kh * s.kw, tapOff, wq, bv, out, ob, s.oh, s.ow, acc, lo, hi);
                    }
                    act.apply(out, ob, outPlane);
                }
            }
        });
    }

    /** The scalar reference for one output plane. */
    static void scalarPlane(float[] planes, float[] wt, int wBase, int[] tapOff, int wq, float bias, float[] out,
                            int ob, int oh, int ow, float[] acc, float lo, float hi) {
        int n = oh * wq;
        java.util.Arrays.fill(acc, 0, n, bias);
        for (int t = 0; t < tapOff.length; t++) {
            float wv = wt[wBase + t];
            int src = tapOff[t];
            for (int p = 0; p < n; p++) {
                acc[p] = Math.fma(planes[src + p], wv, acc[p]);
            }
        }
        compact(acc, wq, out, ob, oh, ow, lo, hi);
    }

    /** out[oy][ox] = clamp(grid[oy * wq + ox]) for ox < ow. */
    static void compact(float[] grid, int wq, float[] out, int ob, int oh, int ow, float lo, float hi) {
        for (int oy = 0; oy < oh; oy++) {
            int src = oy * wq;
            int o = ob + oy * ow;
            for (int ox = 0; ox < ow; ox++) {
                out[o + ox] = Math.min(Math.max(grid[src + ox], lo), hi);
            }
        }
    }

    /** out[oy][ox] = grid[oy * wq + ox] for ox < ow (grid already clamped). */
    static void copyRows(float[] grid, int wq, float[] out, int ob, int oh, int ow) {
        for (int oy = 0; oy < oh; oy++) {
            System.arraycopy(grid, oy * wq, out, ob + oy * ow, ow);
        }
    }
}
