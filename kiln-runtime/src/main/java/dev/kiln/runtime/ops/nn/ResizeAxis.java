package dev.kiln.runtime.ops.nn;

import java.util.Locale;

/**
 * How one axis of a Resize/Upsample output samples the input: for each output index, a fixed number
 * of taps (input index, weight) and whether the output is the extrapolation value instead.
 *
 * <p>The arithmetic mirrors ONNX Runtime's CPU kernels, in float32 where they use float32, so that
 * nearest-neighbour choices at .5 boundaries come out the same:
 * <ul>
 *   <li>nearest: one tap, the rounded coordinate clamped into the input;</li>
 *   <li>linear: two taps around the coordinate clamped into [0, in-1] (0.5/0.5 at the last pixel);</li>
 *   <li>cubic: four taps floor(x)-1..floor(x)+2 with Keys coefficients (parameter A), indices clamped;
 *       with exclude_outside the taps outside the input get weight 0 and the rest are renormalized;</li>
 *   <li>antialias (linear or cubic, opset 18): the filter is stretched by 1/scale when downscaling
 *       and the taps outside the input are folded onto the edge pixels (or dropped with
 *       exclude_outside), then normalized.</li>
 * </ul>
 * An axis whose scale is exactly 1 maps each output index to the same input index.
 */
final class ResizeAxis {
    /** The coordinate_transformation_mode attribute: output index to input coordinate. */
    enum CoordMode {
        HALF_PIXEL, HALF_PIXEL_SYMMETRIC, PYTORCH_HALF_PIXEL, ALIGN_CORNERS, ASYMMETRIC, TF_HALF_PIXEL_FOR_NN,
        TF_CROP_AND_RESIZE;

        static CoordMode parse(String s) {
            for (CoordMode m : values()) {
                if (m.name().toLowerCase(Locale.ROOT).equals(s)) {
                    return m;
                }
            }
            return null;
        }

        float original(float x, float scale, float lenResized, float lenOriginal, float roiStart, float roiEnd) {
            switch (this) {
                case ASYMMETRIC:
                    return x / scale;
                case PYTORCH_HALF_PIXEL:
                    return lenResized > 1 ? (x + 0.5f) / scale - 0.5f : 0f;
                case TF_HALF_PIXEL_FOR_NN:
                    return (x + 0.5f) / scale;
                case ALIGN_CORNERS:
                    return lenResized == 1 ? 0f : x * (lenOriginal - 1) / (lenResized - 1);
                case TF_CROP_AND_RESIZE:
                    return lenResized > 1
                            ? roiStart * (lenOriginal - 1) + (x * (roiEnd - roiStart) * (lenOriginal - 1)) / (lenResized - 1)
                            : (float) (0.5 * (roiStart + roiEnd) * (lenOriginal - 1));
                case HALF_PIXEL_SYMMETRIC: {
                    float outputWidth = scale * lenOriginal;
                    float adjustment = lenResized / outputWidth;
                    float center = lenOriginal / 2;
                    float offset = center * (1 - adjustment);
                    return (float) (offset + (x + 0.5) / scale - 0.5);
                }
                default:
                    return (x + 0.5f) / scale - 0.5f;
            }
        }
    }

    /** The nearest_mode attribute; SIMPLE is the rule before opset 11 (ceil when downscaling, else truncate). */
    enum NearestMode {
        SIMPLE, ROUND_PREFER_FLOOR, ROUND_PREFER_CEIL, FLOOR, CEIL;

        static NearestMode parse(String s) {
            for (NearestMode m : values()) {
                if (m != SIMPLE && m.name().toLowerCase(Locale.ROOT).equals(s)) {
                    return m;
                }
            }
            return null;
        }

        long pick(float x, boolean downscale) {
            switch (this) {
                case SIMPLE:
                    return downscale ? (long) Math.ceil(x) : (long) x;
                case ROUND_PREFER_CEIL:
                    return roundHalfAway(x);
                case FLOOR:
                    return (long) Math.floor(x);
                case CEIL:
                    return (long) Math.ceil(x);
                default:
                    return x == (float) (long) x + 0.5f ? (long) Math.floor(x) : roundHalfAway(x);
            }
        }

        private static long roundHalfAway(float x) {
            double d = x;
            return (long) (d >= 0 ? Math.floor(d + 0.5) : -Math.floor(-d + 0.5));
        }
    }

    /** Taps per output index. */
    final int taps;
    /** Input index of tap t of output o at [o * taps + t]. */
    final int[] index;
    final float[] weight;
    /** Outputs that take the extrapolation value (tf_crop_and_resize out of range), or null for none. */
    final boolean[] extrapolate;

    private ResizeAxis(int taps, int out) {
        this.taps = taps;
        this.index = new int[taps * out];
        this.weight = new float[taps * out];
        this.extrapolate = new boolean[out];
    }

    int size() {
        return extrapolate.length;
    }

    boolean isIdentity() {
        return taps == 1 && identity;
    }

    private boolean identity;

    static ResizeAxis identity(int n) {
        ResizeAxis a = new ResizeAxis(1, n);
        for (int i = 0; i < n; i++) {
            a.index[i] = i;
            a.weight[i] = 1;
        }
        a.identity = true;
        return a;
    }

    /** Coordinates of each output index in the input, as ONNX Runtime computes them. */
    private static float[] coordinates(CoordMode mode, int in, int out, float scale, float roiStart, float roiEnd) {
        float[] c = new float[out];
        for (int o = 0; o < out; o++) {
            c[o] = mode.original(o, scale, out, in, roiStart, roiEnd);
        }
        return c;
    }

    static ResizeAxis nearest(CoordMode mode, NearestMode rounding, int in, int out, float scale, float roiStart,
                              float roiEnd) {
        ResizeAxis a = new ResizeAxis(1, out);
        float[] c = coordinates(mode, in, out, scale, roiStart, roiEnd);
        for (int o = 0; o < out; o++) {
            a.extrapolate[o] = mode == CoordMode.TF_CROP_AND_RESIZE && (c[o] < 0 || c[o] > in - 1);
            long i = rounding.pick(c[o], scale < 1);
            a.index[o] = (int) Math.max(0, Math.min(in - 1, i));
            a.weight[o] = 1;
        }
        return a;
    }

    static ResizeAxis linear(CoordMode mode, int in, int out, float scale, float roiStart, float roiEnd) {
        ResizeAxis a = new ResizeAxis(2, out);
        float[] c = coordinates(mode, in, out, scale, roiStart, roiEnd);
        for (int o = 0; o < out; o++) {
            a.extrapolate[o] = mode == CoordMode.TF_CROP_AND_RESIZE && (c[o] < 0 || c[o] > in - 1);
            float x = Math.max(0f, Math.min(c[o], in - 1));
            int x1 = Math.min((int) x, in - 1);
            int x2 = Math.min(x1 + 1, in - 1);
            float d1 = Math.abs(x - x1);
            float d2 = Math.abs(x - x2);
            if (x1 == x2) {
                d1 = 0.5f;
                d2 = 0.5f;
            }
            a.index[2 * o] = x1;
            a.weight[2 * o] = d2;
            a.index[2 * o + 1] = x2;
            a.weight[2 * o + 1] = d1;
        }
        return a;
    }

    static ResizeAxis cubic(CoordMode mode, float coeffA, boolean excludeOutside, int in, int out, float scale,
                            float roiStart, float roiEnd) {
        ResizeAxis a = new ResizeAxis(4, out);
        float[] c = coordinates(mode, in, out, scale, roiStart, roiEnd);
        float[] k = new float[4];
        for (int o = 0; o < out; o++) {
            a.extrapolate[o] = mode == CoordMode.TF_CROP_AND_RESIZE && (c[o] < 0 || c[o] > in - 1);
            long xi = (long) Math.floor(c[o]);
            float s = Math.abs(c[o] - xi);
            float aa = coeffA;
            k[0] = ((aa * (s + 1) - 5 * aa) * (s + 1) + 8 * aa) * (s + 1) - 4 * aa;
            k[1] = ((aa + 2) * s - (aa + 3)) * s * s + 1;
            k[2] = ((aa + 2) * (1 - s) - (aa + 3)) * (1 - s) * (1 - s) + 1;
            k[3] = ((aa * (2 - s) - 5 * aa) * (2 - s) + 8 * aa) * (2 - s) - 4 * aa;
            float sum = 1;
            if (excludeOutside) {
                sum = 0;
                for (int t = 0; t < 4; t++) {
                    long p = xi - 1 + t;
                    if (p < 0 || p >= in) {
                        k[t] = 0;
                    }
                    sum += k[t];
                }
            }
            for (int t = 0; t < 4; t++) {
                long p = xi - 1 + t;
                a.index[4 * o + t] = (int) Math.max(0, Math.min(in - 1, p));
                a.weight[4 * o + t] = k[t] / sum;
            }
        }
        return a;
    }

    /**
     * Antialiasing filter taps (linear support 1, cubic support 2), following ONNX Runtime's
     * PIL-derived setup. For 8-bit outputs the weights are rounded to 22 fractional bits as its
     * fixed-point path does.
     */
    static ResizeAxis antialias(boolean cubic, float coeffA, boolean excludeOutside, CoordMode mode, int in, int out,
                                float rscale, float roiStart, float roiEnd, boolean eightBit) {
        float scale = 1.0f / rscale;
        float supportSize = cubic ? 4.0f : 2.0f;
        float support = scale >= 1.0f ? supportSize * 0.5f * scale : supportSize * 0.5f;
        int window = (int) Math.ceil(support) * 2 + 1;
        float invScale = scale >= 1.0f ? 1.0f / scale : 1.0f;
        ResizeAxis a = new ResizeAxis(window, out);
        float[] buf = new float[window + 2];
        for (int o = 0; o < out; o++) {
            float center = 0.5f + (scale == 1.0f ? (float) o : mode.original(o, rscale, out, in, roiStart, roiEnd));
            a.extrapolate[o] = mode == CoordMode.TF_CROP_AND_RESIZE && (center < 0 || center > in - 1);
            long minReal = (long) Math.floor((double) (center - support) + 0.5);
            long maxReal = (long) Math.floor((double) (center + support) + 0.5);
            long minCut = Math.max(minReal, 0);
            long maxCut = Math.min(maxReal, in);
            long min = excludeOutside ? minCut : minReal;
            int width = (int) Math.min(window, Math.max(0, (excludeOutside ? maxCut : maxReal) - min));
            float total = 0;
            java.util.Arrays.fill(buf, 0f);
            for (int x = 0; x < width; x++) {
                float w = filter(cubic, coeffA, ((float) (x + min) - center + 0.5f) * invScale);
                buf[x] = w;
                total += w;
            }
            int cut = (int) Math.max(0, maxCut - minCut);
            if (!excludeOutside) {
                int neg = min < 0 ? (int) Math.min(-min, width) : 0;
                for (int x = 0; x < neg && neg < width; x++) {
                    buf[neg] += buf[x];
                }
                int beyond = maxReal > in ? (int) Math.min(maxReal - in, width) : 0;
                int edge = width - beyond - 1;
                for (int x = width - beyond; x < width && edge >= 0; x++) {
                    buf[edge] += buf[x];
                }
                if (neg > 0) {
                    for (int x = 0; x < cut; x++) {
                        buf[x] = buf[x + neg];
                    }
                }
            }
            for (int t = 0; t < window; t++) {
                float w = 0;
                if (t < cut) {
                    w = total != 0f && total != 1f ? buf[t] / total : buf[t];
                    if (eightBit) {
                        float f = w * (1 << 22);
                        w = (float) ((int) (f < 0 ? -0.5 + f : 0.5 + f) / (double) (1 << 22));
                    }
                }
                a.index[o * window + t] = (int) Math.min(in - 1, minCut + Math.min(t, Math.max(cut - 1, 0)));
                a.weight[o * window + t] = w;
            }
        }
        return a;
    }

    private static float filter(boolean cubic, float a, float x) {
        if (x < 0f) {
            x = -x;
        }
        if (!cubic) {
            return x < 1f ? 1f - x : 0f;
        }
        if (x < 1f) {
            return ((a + 2f) * x - (a + 3f)) * x * x + 1;
        }
        if (x < 2f) {
            return (((x - 5f) * x + 8f) * x - 4f) * a;
        }
        return 0f;
    }
}
