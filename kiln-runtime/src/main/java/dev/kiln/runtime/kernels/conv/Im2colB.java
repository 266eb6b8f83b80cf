package dev.kiln.runtime.kernels.conv;

import dev.kiln.runtime.kernels.gemm.BPacker;

/**
 * The im2col matrix of a convolution input, packed straight into GEMM panels without materializing
 * it: row k = (channel, kz, ky, kx), column n = output position (oz, oy, ox). Output rows are
 * walked in runs along x, so unit-stride runs become array copies with zero borders.
 */
public final class Im2colB implements BPacker {
    private final float[] x;
    private final int base;
    private final ConvShape s;
    private final int n;

    /** @param base offset of channel 0 of this image and group in x */
    public Im2colB(float[] x, int base, ConvShape s) {
        this.x = x;
        this.base = base;
        this.s = s;
        this.n = s.outputPlane();
    }

    @Override
    public void pack(int k0, int kc, int p0, int np, int nr, float[] dst) {
        final ConvShape g = s;
        int ksize = g.kernelSize();
        int khw = g.kh * g.kw;
        int plane = g.inputPlane();
        int ohw = g.oh * g.ow;
        for (int p = 0; p < np; p++) {
            int col0 = (p0 + p) * nr;
            int cols = Math.max(0, Math.min(nr, n - col0));
            int pd = p * kc * nr;
            int oz0 = col0 / ohw;
            int rem = col0 - oz0 * ohw;
            int oy0 = rem / g.ow;
            int ox0 = rem - oy0 * g.ow;
            for (int kk = 0; kk < kc; kk++) {
                int k = k0 + kk;
                int ch = k / ksize;
                int kr = k - ch * ksize;
                int kz = kr / khw;
                kr -= kz * khw;
                int ky = kr / g.kw;
                int kx = kr - ky * g.kw;
                int cbase = base + ch * plane;
                int d = pd + kk * nr;
                int oz = oz0, oy = oy0, ox = ox0;
                int j = 0;
                while (j < cols) {
                    int seg = Math.min(cols - j, g.ow - ox);
                    int iz = oz * g.sd - g.pd + kz * g.dd;
                    int iy = oy * g.sh - g.ph + ky * g.dh;
                    if (iz < 0 || iz >= g.d || iy < 0 || iy >= g.h) {
                        java.util.Arrays.fill(dst, d + j, d + j + seg, 0f);
                    } else {
                        int row = cbase + (iz * g.h + iy) * g.w;
                        int ix0 = ox * g.sw - g.pw + kx * g.dw;
                        // valid t: 0 <= ix0 + t*sw < w
                        int tLo = ix0 >= 0 ? 0 : (-ix0 + g.sw - 1) / g.sw;
                        int tHi = ix0 >= g.w ? 0 : (g.w - ix0 + g.sw - 1) / g.sw;
                        tLo = Math.min(tLo, seg);
                        tHi = Math.max(tLo, Math.min(tHi, seg));
                        if (tLo > 0) {
                            java.util.Arrays.fill(dst, d + j, d + j + tLo, 0f);
                        }
                        if (tHi <= tLo) {
                            // no valid column in this run
                        } else if (g.sw == 1) {
                            System.arraycopy(x, row + ix0 + tLo, dst, d + j + tLo, tHi - tLo);
                        } else {
                            int src = row + ix0 + tLo * g.sw;
                            for (int t = tLo; t < tHi; t++, src += g.sw) {
                                dst[d + j + t] = x[src];
                            }
                        }
                        if (tHi < seg) {
                            java.util.Arrays.fill(dst, d + j + tHi, d + j + seg, 0f);
                        }
                    }
                    j += seg;
                    ox += seg;
                    if (ox == g.ow) {
                        ox = 0;
                        if (++oy == g.oh) {
                            oy = 0;
                            oz++;
                        }
                    }
                }
                for (int t = cols; t < nr; t++) {
                    dst[d + t] = 0f;
                }
            }
        }
    }
}
