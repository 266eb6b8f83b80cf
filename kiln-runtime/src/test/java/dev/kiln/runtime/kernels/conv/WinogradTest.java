package dev.kiln.runtime.kernels.conv;

import dev.kiln.runtime.kernels.gemm.PackedGemm;
import dev.kiln.runtime.kernels.math.Activation;
import dev.kiln.runtime.util.Parallel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * F(2x2, 3x3) convolutions against a double-precision direct convolution, at awkward sizes,
 * paddings and channel counts, with bias, residual, clamp and activation, on 1 and 2 threads; and
 * the chosen transforms against the scalar reference bit for bit. Run at every vector width.
 */
class WinogradTest {
    private static final int[] LENGTHS = {1, 3, 7, 15, 16, 17, 63, 65};

    private static float[] random(SplittableRandom r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return f;
    }

    @Test
    void transformsEqualScalarReference() {
        SplittableRandom r = new SplittableRandom(11);
        for (int len : LENGTHS) {
            int wq = 9;
            int plane = 200;
            float[] p = random(r, 4 * plane + len + wq + 2);
            float[] a = new float[16 * (len + 3)];
            float[] b = new float[16 * (len + 3)];
            WinogradTransforms.input(p, 0, plane, wq, 1, len, a, 2, len + 3);
            WinogradTransforms.inputScalar(p, 0, plane, wq, 1, 0, len, b, 2, len + 3);
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToIntBits(b[i]), Float.floatToIntBits(a[i]), "input len=" + len + " at " + i);
            }
            float[] mm = random(r, 16 * (len + 1));
            float[] o1 = new float[4 * len + 1];
            float[] o2 = new float[4 * len + 1];
            WinogradTransforms.output(mm, 1, len + 1, len, o1, 1, len);
            WinogradTransforms.outputScalar(mm, 1, len + 1, 0, len, o2, 1, len);
            for (int i = 0; i < o1.length; i++) {
                assertEquals(Float.floatToIntBits(o2[i]), Float.floatToIntBits(o1[i]), "output len=" + len + " at " + i);
            }
        }
    }

    @Test
    void matchesDirectConvolution() {
        SplittableRandom r = new SplittableRandom(12);
        // channels in, out, height, width, pads top, left, bottom, right
        int[][] cases = {
            {1, 1, 1, 1, 1, 1, 1, 1}, {3, 5, 7, 9, 1, 1, 1, 1}, {17, 16, 15, 16, 1, 1, 1, 1}, {8, 9, 5, 3, 0, 0, 0, 0},
            {16, 17, 12, 13, 0, 1, 2, 0}, {5, 65, 33, 30, 1, 1, 1, 1}, {64, 24, 9, 17, 2, 1, 0, 1},
        };
        Activation[] acts = {Activation.NONE, Activation.SILU, Activation.HARD_SWISH};
        int t = 0;
        for (int[] cs : cases) {
            int c = cs[0];
            int m = cs[1];
            int h = cs[2];
            int w = cs[3];
            int oh = h + cs[4] + cs[6] - 2;
            int ow = w + cs[5] + cs[7] - 2;
            ConvShape s = new ConvShape(c, new int[] {h, w}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                    new int[] {cs[4], cs[5]}, new int[] {cs[6], cs[7]}, new int[] {oh, ow});
            float[] wt = random(r, m * c * 9);
            float[] x = random(r, 2 + c * h * w);
            float[] bias = t % 2 == 0 ? random(r, m + 1) : null;
            float[] res = t % 3 == 1 ? random(r, 3 + m * oh * ow) : null;
            float lo = t % 2 == 1 ? 0f : Float.NEGATIVE_INFINITY;
            Activation act = acts[t % acts.length];
            Winograd wg = new Winograd(wt, 0, m, c, PackedGemm.standard());
            for (int threads = 1; threads <= 2; threads++) {
                float[] y = new float[3 + m * oh * ow];
                wg.run(x, 2, y, 3, s, bias, 1, res, lo, 4f, act, Parallel.of(threads));
                for (int mi = 0; mi < m; mi++) {
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            double acc = bias == null ? 0 : bias[1 + mi];
                            double mag = Math.abs(acc);
                            for (int ci = 0; ci < c; ci++) {
                                for (int ky = 0; ky < 3; ky++) {
                                    for (int kx = 0; kx < 3; kx++) {
                                        int iy = oy + ky - cs[4];
                                        int ix = ox + kx - cs[5];
                                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                            double pr = (double) wt[((mi * c + ci) * 3 + ky) * 3 + kx]
                                                    * x[2 + (ci * h + iy) * w + ix];
                                            acc += pr;
                                            mag += Math.abs(pr);
                                        }
                                    }
                                }
                            }
                            int at = 3 + (mi * oh + oy) * ow + ox;
                            if (res != null) {
                                acc += res[at];
                                mag += Math.abs(res[at]);
                            }
                            float expect = act.apply((float) Math.min(Math.max(acc, lo), 4f));
                            assertEquals(expect, y[at], 1e-5 * (1 + mag), "case " + t + " threads " + threads + " m=" + mi
                                    + " y=" + oy + " x=" + ox);
                        }
                    }
                }
                for (int i = 0; i < 3; i++) {
                    assertEquals(0f, y[i], "before the output");
                }
            }
            t++;
        }
    }
}
