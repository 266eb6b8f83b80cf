package dev.kiln.runtime.quant;

import dev.kiln.runtime.kernels.Simd;
import dev.kiln.runtime.kernels.conv.ConvShape;
import dev.kiln.runtime.util.Parallel;

/**
 * The integer convolution of SPEC section 8: int8 (or int16) activations and int8 weights, int32
 * accumulation including the int32 bias, and per-output-channel requantization
 * {@code clamp(round_half_to_even((float) acc * M[c]), lo, hi)} with {@code M[c]} computed once in
 * float32 ({@link QuantMath#requantMultiplier}). Exact by construction, so every executor of the
 * same integer program (the quantized ONNX model in Kiln, the .bin runtime) gives the same bits.
 *
 * <p>Computed per image and group as weights (M x K) times the input's im2col columns (K x N),
 * blocked over output positions so a block of columns stays in cache while every output channel
 * sweeps it. Depthwise convolutions (one input channel per group) run a direct loop. This scalar
 * formulation is the reference; when {@link Simd} allows, {@link IntConvPacked} computes the same
 * bits with Vector API kernels on weights packed here once.
 */
public final class IntConv {
    /** Output positions per block of columns. */
    private static final int BLOCK = 256;

    private final byte[] w;
    private final int[] bias;
    private final float[] multiplier;
    private final int m;
    private final int group;
    private final int mg;
    private final int k;
    /** The Vector API form, or null for the scalar reference. */
    private final IntConvPacked packed;

    /**
     * @param w          weights [M][C/group][kernel...] as int8
     * @param bias       int32 bias per output channel (scale s_x * s_w[c]), or null
     * @param multiplier requantization multiplier per output channel
     */
    public IntConv(byte[] w, int m, int k, int group, int[] bias, float[] multiplier) {
        this(w, m, k, group, bias, multiplier, Simd.ENABLED);
    }

    /** With the choice of kernels explicit (tests compare both). */
    IntConv(byte[] w, int m, int k, int group, int[] bias, float[] multiplier, boolean simd) {
        this.w = w;
        this.bias = bias;
        this.multiplier = multiplier;
        this.m = m;
        this.group = group;
        this.mg = m / group;
        this.k = k;
        this.packed = simd ? new IntConvPacked(w, m, k, group, bias, multiplier) : null;
    }

    /** The Vector API form, or null when this runs the scalar reference. */
    IntConvPacked packed() {
        return packed;
    }

    /**
     * y (int8 or int16 storage given by yBytes/yShorts) = requantized conv(x). x is int8 (xb) or
     * int16 (xs); exactly one of each pair is non-null.
     */
    public void run(byte[] xb, short[] xs, byte[] yb, short[] ys, int batch, int c, ConvShape s, int lo, int hi,
                    Parallel par) {
        int cg = c / group;
        int inPlane = s.inputPlane();
        int outPlane = s.outputPlane();
        if (packed != null) {
            if (group > 1 && cg == 1 && s.kd == 1 && s.d == 1 && s.od == 1) {
                packed.depthwise(xb, xs, yb, ys, batch, c, s, lo, hi, par);
            } else {
                packed.run(xb, xs, yb, ys, batch, c, s, lo, hi, par);
            }
            return;
        }
        if (group > 1 && cg == 1) {
            depthwise(xb, xs, yb, ys, batch, c, s, lo, hi, par);
            return;
        }
        int blocks = (outPlane + BLOCK - 1) / BLOCK;
        for (int b = 0; b < batch; b++) {
            for (int g = 0; g < group; g++) {
                int xBase = (b * c + g * cg) * inPlane;
                int yBase = (b * m + g * mg) * outPlane;
                int gg = g;
                par.forRange(blocks, 1, (from, to) -> {
                    short[] cols = new short[k * BLOCK];
                    int[] acc = new int[BLOCK];
                    for (int blk = from; blk < to; blk++) {
                        int n0 = blk * BLOCK;
                        int nb = Math.min(BLOCK, outPlane - n0);
                        im2col(xb, xs, xBase, s, n0, nb, cols);
                        for (int oc = 0; oc < mg; oc++) {
                            int ch = gg * mg + oc;
                            int bv = bias == null ? 0 : bias[ch];
                            java.util.Arrays.fill(acc, 0, nb, bv);
                            int wRow = ch * k;
                            for (int kk = 0; kk < k; kk++) {
                                int wv = w[wRow + kk];
                                if (wv == 0) {
                                    continue;
                                }
                                int row = kk * BLOCK;
                                for (int j = 0; j < nb; j++) {
                                    acc[j] += wv * cols[row + j];
                                }
                            }
                            store(acc, nb, multiplier[ch], lo, hi, yb, ys, yBase + oc * outPlane + n0);
                        }
                    }
                });
            }
        }
    }

    /** Columns [n0, n0 + nb) of the im2col matrix, row kk at cols[kk * BLOCK]; zero outside the image. */
    private static void im2col(byte[] xb, short[] xs, int xBase, ConvShape s, int n0, int nb, short[] cols) {
        int khw = s.kh * s.kw;
        int ksize = s.kd * khw;
        int plane = s.inputPlane();
        int ohw = s.oh * s.ow;
        int channels = s.c;
        for (int ch = 0; ch < channels; ch++) {
            for (int kz = 0; kz < s.kd; kz++) {
                for (int ky = 0; ky < s.kh; ky++) {
                    for (int kx = 0; kx < s.kw; kx++) {
                        int row = ((ch * s.kd + kz) * s.kh + ky) * s.kw + kx;
                        int d = row * BLOCK;
                        int cb = xBase + ch * plane;
                        for (int j = 0; j < nb; j++) {
                            int n = n0 + j;
                            int oz = n / ohw;
                            int rem = n - oz * ohw;
                            int oy = rem / s.ow;
                            int ox = rem - oy * s.ow;
                            int iz = oz * s.sd - s.pd + kz * s.dd;
                            int iy = oy * s.sh - s.ph + ky * s.dh;
                            int ix = ox * s.sw - s.pw + kx * s.dw;
                            short v = 0;
                            if (iz >= 0 && iz < s.d && iy >= 0 && iy < s.h && ix >= 0 && ix < s.w) {
                                int at = cb + (iz * s.h + iy) * s.w + ix;
                                v = xb != null ? xb[at] : xs[at];
                            }
                            cols[d + j] = v;
                        }
                    }
                }
            }
        }
    }

    private static void store(int[] acc, int n, float mult, int lo, int hi, byte[] yb, short[] ys, int at) {
        for (int j = 0; j < n; j++) {
            int q = QuantMath.requantize(acc[j], mult, 0, lo, hi);
            if (yb != null) {
                yb[at + j] = (byte) q;
            } else {
                ys[at + j] = (short) q;
            }
        }
    }

    private void depthwise(byte[] xb, short[] xs, byte[] yb, short[] ys, int batch, int c, ConvShape s, int lo, int hi,
                           Parallel par) {
        int mult = m / c;
        int inPlane = s.inputPlane();
        int outPlane = s.outputPlane();
        int ksize = s.kd * s.kh * s.kw;
        par.forRange(batch * m, 1, (from, to) -> {
            int[] acc = new int[outPlane];
            for (int t = from; t < to; t++) {
                int b = t / m;
                int oc = t - b * m;
                int ic = oc / mult;
                int xBase = (b * c + ic) * inPlane;
                java.util.Arrays.fill(acc, bias == null ? 0 : bias[oc]);
                for (int kz = 0; kz < s.kd; kz++) {
                    for (int ky = 0; ky < s.kh; ky++) {
                        for (int kx = 0; kx < s.kw; kx++) {
                            int wv = w[oc * ksize + (kz * s.kh + ky) * s.kw + kx];
                            if (wv == 0) {
                                continue;
                            }
                            for (int oz = 0; oz < s.od; oz++) {
                                int iz = oz * s.sd - s.pd + kz * s.dd;
                                if (iz < 0 || iz >= s.d) {
                                    continue;
                                }
                                for (int oy = 0; oy < s.oh; oy++) {
                                    int iy = oy * s.sh - s.ph + ky * s.dh;
                                    if (iy < 0 || iy >= s.h) {
                                        continue;
                                    }
                                    int row = xBase + (iz * s.h + iy) * s.w;
                                    int ab = (oz * s.oh + oy) * s.ow;
                                    int ix0 = -s.pw + kx * s.dw;
                                    int oxLo = ix0 >= 0 ? 0 : (-ix0 + s.sw - 1) / s.sw;
                                    int oxHi = ix0 >= s.w ? 0 : Math.min(s.ow, (s.w - ix0 + s.sw - 1) / s.sw);
                                    for (int ox = oxLo; ox < oxHi; ox++) {
                                        int at = row + ix0 + ox * s.sw;
                                        acc[ab + ox] += wv * (xb != null ? xb[at] : xs[at]);
                                    }
                                }
                            }
                        }
                    }
                }
                store(acc, outPlane, multiplier[oc], lo, hi, yb, ys, (b * m + oc) * outPlane);
            }
        });
    }
}
