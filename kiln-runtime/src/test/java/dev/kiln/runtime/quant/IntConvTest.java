package dev.kiln.runtime.quant;

import dev.kiln.runtime.kernels.Simd;
import dev.kiln.runtime.kernels.conv.ConvShape;
import dev.kiln.runtime.util.Parallel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Vector API integer convolution against the scalar reference, bit for bit: random geometries
 * (1-D to 3-D, odd sizes, strides, pads, dilations, groups, depthwise with channel multipliers),
 * int8 and int16 inputs and outputs, fused clamps, one and two threads.
 */
class IntConvTest {
    private static final Parallel[] PARS = {Parallel.serial(), Parallel.of(2)};

    @Test
    void vectorConvolutionEqualsScalarReference() {
        Assumptions.assumeTrue(Simd.ENABLED, Simd.reason());
        SplittableRandom r = new SplittableRandom(7);
        for (int iter = 0; iter < 300; iter++) {
            int rank = iter % 5 == 0 ? 1 : iter % 11 == 0 ? 3 : 2;
            boolean depthwise = r.nextInt(3) == 0;
            int group = depthwise ? 1 + r.nextInt(9) : (r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1);
            int cg = depthwise ? 1 : 1 + r.nextInt(iter % 7 == 0 ? 40 : 9);
            int m = group * (depthwise ? 1 + r.nextInt(2) : 1 + r.nextInt(iter % 3 == 0 ? 37 : 17));
            int[] in = new int[rank];
            int[] k = new int[rank];
            int[] st = new int[rank];
            int[] dil = new int[rank];
            int[] pb = new int[rank];
            int[] pe = new int[rank];
            int[] out = new int[rank];
            for (int i = 0; i < rank; i++) {
                boolean small = rank == 3 || r.nextInt(8) == 0;
                in[i] = small ? 1 + r.nextInt(6) : 1 + r.nextInt(40);
                k[i] = r.nextInt(3) == 0 ? 1 : 1 + r.nextInt(Math.min(5, in[i] + 2));
                st[i] = 1 + r.nextInt(3);
                dil[i] = r.nextInt(4) == 0 ? 2 : 1;
                pb[i] = r.nextInt(k[i] + 1);
                pe[i] = r.nextInt(k[i] + 1);
                out[i] = (in[i] + pb[i] + pe[i] - dil[i] * (k[i] - 1) - 1) / st[i] + 1;
                if (out[i] < 1) {
                    pe[i] += dil[i] * (k[i] - 1);
                    out[i] = (in[i] + pb[i] + pe[i] - dil[i] * (k[i] - 1) - 1) / st[i] + 1;
                }
            }
            if (iter % 6 == 1) { // pointwise, stride 1, no pads: the copy path
                Arrays.fill(k, 1);
                Arrays.fill(st, 1);
                Arrays.fill(pb, 0);
                Arrays.fill(pe, 0);
                out = in.clone();
            }
            int c = group * cg;
            int ks = cg;
            for (int v : k) {
                ks *= v;
            }
            int plane = 1;
            int outPlane = 1;
            for (int i = 0; i < rank; i++) {
                plane *= in[i];
                outPlane *= out[i];
            }
            int batch = 1 + r.nextInt(2);
            boolean shortIn = r.nextInt(4) == 0;
            boolean shortOut = r.nextInt(4) == 0;
            byte[] w = new byte[m * ks];
            for (int i = 0; i < w.length; i++) {
                w[i] = r.nextInt(5) == 0 ? 0 : (byte) r.nextInt(256);
            }
            int[] bias = r.nextBoolean() ? null : new int[m];
            if (bias != null) {
                for (int i = 0; i < m; i++) {
                    bias[i] = r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(-100000, 100000);
                }
            }
            float[] mult = new float[m];
            for (int i = 0; i < m; i++) {
                int pick = r.nextInt(4);
                mult[i] = pick == 0 ? 0.5f : pick == 1 ? 0.25f : (float) Math.scalb(r.nextDouble() + 0.5, -r.nextInt(4, 14));
            }
            byte[] xb = shortIn ? null : randomBytes(r, batch * c * plane);
            short[] xs = shortIn ? randomShorts(r, batch * c * plane) : null;
            int lo = shortOut ? -32768 : (r.nextBoolean() ? 0 : -128);
            int hi = shortOut ? 32767 : 127;
            ConvShape s = new ConvShape(cg, in, k, st, dil, pb, pe, out);
            IntConv ref = new IntConv(w, m, ks, group, bias, mult, false);
            IntConv vec = new IntConv(w, m, ks, group, bias, mult, true);
            vec.packed().floatTiles = iter % 2 == 0;
            int ny = batch * m * outPlane;
            byte[] yb0 = shortOut ? null : new byte[ny];
            short[] ys0 = shortOut ? new short[ny] : null;
            ref.run(xb, xs, yb0, ys0, batch, c, s, lo, hi, Parallel.serial());
            for (Parallel par : PARS) {
                byte[] yb1 = shortOut ? null : new byte[ny];
                short[] ys1 = shortOut ? new short[ny] : null;
                vec.run(xb, xs, yb1, ys1, batch, c, s, lo, hi, par);
                String what = "iter " + iter + " in " + Arrays.toString(in) + " k " + Arrays.toString(k) + " s "
                        + Arrays.toString(st) + " d " + Arrays.toString(dil) + " p " + Arrays.toString(pb)
                        + Arrays.toString(pe) + " c " + c + " m " + m + " group " + group + " threads " + par.threads();
                if (shortOut) {
                    assertArrayEquals(ys0, ys1, what);
                } else {
                    assertArrayEquals(yb0, yb1, what);
                }
            }
        }
    }

    /**
     * Extreme weights and inputs around the largest dot product that float32 holds exactly (2^24),
     * on both sides of it, so both the float-exact and the int32 tiles run on their worst case.
     */
    @Test
    void extremeSumsAtTheFloatExactLimit() {
        Assumptions.assumeTrue(Simd.ENABLED, Simd.reason());
        SplittableRandom r = new SplittableRandom(11);
        for (int cg : new int[] {1023, 1024, 1025, 2000}) {
            for (boolean shortIn : new boolean[] {false, true}) {
                int m = 9;
                int n = 37;
                byte[] w = new byte[m * cg];
                for (int i = 0; i < w.length; i++) {
                    w[i] = i % 7 == 3 ? (byte) r.nextInt(256) : (byte) (i / cg % 2 == 0 ? -128 : 127);
                }
                int[] bias = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 12345, -77, 1 << 24, 5};
                float[] mult = new float[m];
                Arrays.fill(mult, 1f / (1 << 17));
                byte[] xb = shortIn ? null : new byte[cg * n];
                short[] xs = shortIn ? new short[cg * n] : null;
                for (int i = 0; i < cg * n; i++) {
                    if (shortIn) {
                        xs[i] = i % 5 == 0 ? (short) r.nextInt(65536) : (short) (i % 2 == 0 ? -32768 : 32767);
                    } else {
                        xb[i] = i % 5 == 0 ? (byte) r.nextInt(256) : (byte) -128;
                    }
                }
                ConvShape s = new ConvShape(cg, new int[] {n}, new int[] {1}, new int[] {1}, new int[] {1},
                        new int[] {0}, new int[] {0}, new int[] {n});
                short[] want = new short[m * n];
                short[] got = new short[m * n];
                new IntConv(w, m, cg, 1, bias, mult, false).run(xb, xs, null, want, 1, cg, s, -32768, 32767,
                        Parallel.serial());
                new IntConv(w, m, cg, 1, bias, mult, true).run(xb, xs, null, got, 1, cg, s, -32768, 32767,
                        Parallel.serial());
                assertArrayEquals(want, got, "k " + cg + " int16 input " + shortIn);
            }
        }
    }

    /**
     * Partial sums far beyond 2^24 that cancel to a small result: a float32 accumulation would
     * round the middle of the sum and change the output, so this fails if the kernels ever take the
     * float-exact tiles where they are not exact.
     */
    @Test
    void cancellingSumsBeyondTheFloatExactLimit() {
        Assumptions.assumeTrue(Simd.ENABLED, Simd.reason());
        SplittableRandom r = new SplittableRandom(13);
        int cg = 4000;
        int m = 8;
        int n = 40;
        byte[] w = new byte[m * cg];
        Arrays.fill(w, (byte) 127);
        byte[] xb = new byte[cg * n];
        for (int kk = 0; kk < cg; kk++) {
            for (int j = 0; j < n; j++) {
                xb[kk * n + j] = (byte) (kk < cg / 2 ? 127 - r.nextInt(3) : -127);
            }
        }
        float[] mult = new float[m];
        Arrays.fill(mult, 1f / 64);
        ConvShape s = new ConvShape(cg, new int[] {n}, new int[] {1}, new int[] {1}, new int[] {1}, new int[] {0},
                new int[] {0}, new int[] {n});
        short[] want = new short[m * n];
        short[] got = new short[m * n];
        new IntConv(w, m, cg, 1, null, mult, false).run(xb, null, null, want, 1, cg, s, -32768, 32767, Parallel.serial());
        new IntConv(w, m, cg, 1, null, mult, true).run(xb, null, null, got, 1, cg, s, -32768, 32767, Parallel.serial());
        assertArrayEquals(want, got);
        for (short v : want) {
            org.junit.jupiter.api.Assertions.assertTrue(v > -32768 && v < 0, "the sum must cancel to a small value: " + v);
        }
    }

    /**
     * 3x3 convolutions with strides of 1 and 2 across and down at plane widths around the vector widths,
     * depthwise (stride-phase planes) and dense (im2col columns), both filled through vector
     * shuffles: both pads, int8 and int16 in and out, float-exact and int32 tiles.
     */
    @Test
    void strideTwoAtVectorWidths() {
        Assumptions.assumeTrue(Simd.ENABLED, Simd.reason());
        SplittableRandom r = new SplittableRandom(17);
        int c = 3;
        for (boolean dw : new boolean[] {true, false}) {
            int m = dw ? c : 5;
            int group = dw ? c : 1;
            int k = 9 * c / group;
            for (int w : new int[] {1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 34, 63, 65, 161}) {
                for (int[] st : new int[][] {{2, 2}, {1, 2}, {2, 1}, {1, 1}}) {
                    for (int pad = 0; pad < 2; pad++) {
                        for (boolean shortIn : new boolean[] {false, true}) {
                            int h = 5 + r.nextInt(3);
                            if (w + 2 * pad < 3) {
                                continue;
                            }
                            int oh = (h + 2 * pad - 3) / st[0] + 1;
                            int ow = (w + 2 * pad - 3) / st[1] + 1;
                            boolean shortOut = r.nextBoolean();
                            byte[] wt = new byte[m * k];
                            for (int i = 0; i < wt.length; i++) {
                                wt[i] = (byte) r.nextInt(256);
                            }
                            int[] bias = new int[m];
                            float[] mult = new float[m];
                            for (int i = 0; i < m; i++) {
                                bias[i] = i % 3 == 1 ? r.nextInt() : r.nextInt(-5000, 5000);
                                mult[i] = i % 3 == 2 ? 0.5f
                                        : (float) Math.scalb(r.nextDouble() + 0.5, -r.nextInt(8, 12));
                            }
                            byte[] xb = shortIn ? null : randomBytes(r, c * h * w);
                            short[] xs = shortIn ? randomShorts(r, c * h * w) : null;
                            int lo = shortOut ? -32768 : (r.nextBoolean() ? 0 : -128);
                            int hi = shortOut ? 32767 : 127;
                            ConvShape s = new ConvShape(c / group, new int[] {h, w}, new int[] {3, 3}, st,
                                    new int[] {1, 1},
                                    new int[] {pad, pad}, new int[] {pad, pad}, new int[] {oh, ow});
                            int ny = m * oh * ow;
                            byte[] yb0 = shortOut ? null : new byte[ny];
                            short[] ys0 = shortOut ? new short[ny] : null;
                            new IntConv(wt, m, k, group, bias, mult, false).run(xb, xs, yb0, ys0, 1, c, s, lo, hi,
                                    Parallel.serial());
                            for (boolean floatTiles : new boolean[] {false, true}) {
                                IntConv vec = new IntConv(wt, m, k, group, bias, mult, true);
                                vec.packed().floatTiles = floatTiles;
                                byte[] yb1 = shortOut ? null : new byte[ny];
                                short[] ys1 = shortOut ? new short[ny] : null;
                                vec.run(xb, xs, yb1, ys1, 1, c, s, lo, hi, Parallel.serial());
                                String what = "group " + group + " h " + h + " w " + w + " s " + Arrays.toString(st)
                                        + " pad " + pad + " int16 in " + shortIn + " float " + floatTiles;
                                if (shortOut) {
                                    assertArrayEquals(ys0, ys1, what);
                                } else {
                                    assertArrayEquals(yb0, yb1, what);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] x = new byte[n];
        for (int i = 0; i < n; i++) {
            x[i] = (byte) r.nextInt(256);
        }
        return x;
    }

    private static short[] randomShorts(SplittableRandom r, int n) {
        short[] x = new short[n];
        for (int i = 0; i < n; i++) {
            x[i] = (short) r.nextInt(65536);
        }
        return x;
    }

    @Test
    void vectorRequantizeEqualsQuantMath() {
        Assumptions.assumeTrue(Simd.ENABLED, Simd.reason());
        SplittableRandom r = new SplittableRandom(3);
        int[] edges = {0, 1, -1, 2, -2, 3, -3, 127, 128, -128, -129, 255, 256, -255, -256, 32767, 32768, -32768,
            -32769, 65535, 65536, (1 << 24) - 1, 1 << 24, (1 << 24) + 1, -(1 << 24) - 1, Integer.MAX_VALUE,
            Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1, 16777217, -16777217};
        float[] mults = {0.5f, 0.25f, 1f, 1.5f, 0.125f, 3f, 1e-3f, 1e-9f, 2.5e-5f, 7.0e-3f, Float.MIN_VALUE, 1e30f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, -0.5f, -1e-3f, 0f, -0f};
        int[][] ranges = {{-128, 127}, {0, 127}, {-32768, 32767}, {0, 32767}, {-127, 127}, {0, 255}, {0, 0}};
        int n = 1023;
        for (float mult : mults) {
            for (int[] lh : ranges) {
                int[] acc = new int[n + 3];
                for (int i = 0; i < acc.length; i++) {
                    int pick = r.nextInt(4);
                    acc[i] = pick == 0 ? edges[r.nextInt(edges.length)] : pick == 1 ? r.nextInt()
                            : pick == 2 ? r.nextInt(-70000, 70000) : 2 * r.nextInt(-300, 300) + 1;
                }
                for (int len : new int[] {1, 3, 7, 15, 16, 17, 63, 65, 1023}) {
                    int[] got = acc.clone();
                    IntConvVector.requantize(got, 2, len, mult, lh[0], lh[1]);
                    for (int j = 0; j < acc.length; j++) {
                        int want = j >= 2 && j < 2 + len ? QuantMath.requantize(acc[j], mult, 0, lh[0], lh[1]) : acc[j];
                        assertEquals(want, got[j], "acc " + acc[j] + " mult " + mult + " range " + Arrays.toString(lh));
                    }
                    if (IntConvVector.B != null && lh[0] >= -128 && lh[1] <= 127) {
                        byte[] bytes = new byte[len + 4];
                        Arrays.fill(bytes, (byte) 55);
                        IntConvVector.requantizeBytes(acc, 2, len, mult, lh[0], lh[1], bytes, 1);
                        for (int j = 0; j < bytes.length; j++) {
                            int want = j >= 1 && j < 1 + len ? QuantMath.requantize(acc[j + 1], mult, 0, lh[0], lh[1]) : 55;
                            assertEquals(want, bytes[j], "bytes: acc " + (j >= 1 && j <= len ? acc[j + 1] : 0)
                                    + " mult " + mult + " range " + Arrays.toString(lh));
                        }
                    }
                }
            }
        }
    }

    @Test
    void halfwayValuesRoundToEven() {
        Assumptions.assumeTrue(Simd.ENABLED, Simd.reason());
        int[] acc = new int[64];
        for (int i = 0; i < acc.length; i++) {
            acc[i] = i - 32;
        }
        IntConvVector.requantize(acc, 0, acc.length, 0.5f, -128, 127);
        for (int i = 0; i < acc.length; i++) {
            assertEquals((int) Math.rint((i - 32) * 0.5), acc[i], "at " + (i - 32));
        }
    }
}
