package dev.kiln.runtime.kernels.conv;

import dev.kiln.runtime.kernels.gemm.BPacker;

/**
 * The im2col matrix of a convolution input, packed straight into GEMM panels without materializing
 * it: row k = (channel, kz, ky, kx), column n = output position (oz, oy, ox). A panel's columns are
 * first split into runs along one output row (which depend only on the panel, not on k); each k row
 * then copies every run with its out-of-image part zeroed, unit-stride runs as plain loops.
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
        int khw = g.kh * g.kw;
        int ksize = g.kd * khw;
        int plane = g.inputPlane();
        int ohw = g.oh * g.ow;
        // runs of the current panel: output (oz, oy, ox) start, length, position in the panel
        int maxRuns = nr / Math.max(1, g.ow) + 2;
        int[] runZ = new int[maxRuns];
        int[] runY = new int[maxRuns];
        int[] runX = new int[maxRuns];
        int[] runLen = new int[maxRuns];
        int[] runAt = new int[maxRuns];
        for (int p = 0; p < np; p++) {
            int col0 = (p0 + p) * nr;
            int cols = Math.max(0, Math.min(nr, n - col0));
            int runs = 0;
            int oz = col0 / ohw;
            int rem = col0 - oz * ohw;
            int oy = rem / g.ow;
            int ox = rem - oy * g.ow;
            for (int j = 0; j < cols; ) {
                int len = Math.min(cols - j, g.ow - ox);
                runZ[runs] = oz;
                runY[runs] = oy;
                runX[runs] = ox;
                runLen[runs] = len;
                runAt[runs] = j;
                runs++;
                j += len;
                ox += len;
                if (ox == g.ow) {
                    ox = 0;
                    if (++oy == g.oh) {
                        oy = 0;
                        oz++;
                    }
                }
            }
            int pd = p * kc * nr;
            int k = k0;
            int ch = k / ksize;
            int kr = k - ch * ksize;
            int kz = kr / khw;
            kr -= kz * khw;
            int ky = kr / g.kw;
            int kx = kr - ky * g.kw;
            for (int kk = 0; kk < kc; kk++) {
                int d = pd + kk * nr;
                int cbase = base + ch * plane;
                int zoff = -g.pd + kz * g.dd;
                int yoff = -g.ph + ky * g.dh;
                int ix0Base = -g.pw + kx * g.dw;
                for (int r = 0; r < runs; r++) {
                    int at = d + runAt[r];
                    int len = runLen[r];
                    int iz = runZ[r] * g.sd + zoff;
                    int iy = runY[r] * g.sh + yoff;
                    if (iz < 0 || iz >= g.d || iy < 0 || iy >= g.h) {
                        for (int t = 0; t < len; t++) {
                            dst[at + t] = 0f;
                        }
                        continue;
                    }
                    int row = cbase + (iz * g.h + iy) * g.w;
                    int ix0 = runX[r] * g.sw + ix0Base;
                    // valid t: 0 <= ix0 + t*sw < w (no division on the common unit stride)
                    int tLo;
                    int tHi;
                    if (g.sw == 1) {
                        tLo = Math.min(len, Math.max(0, -ix0));
                        tHi = Math.min(len, g.w - ix0);
                    } else {
                        tLo = ix0 >= 0 ? 0 : Math.min(len, (-ix0 + g.sw - 1) / g.sw);
                        tHi = ix0 >= g.w ? 0 : Math.min(len, (g.w - ix0 + g.sw - 1) / g.sw);
                    }
                    if (tHi < tLo) {
                        tHi = tLo;
                    }
                    for (int t = 0; t < tLo; t++) {
                        dst[at + t] = 0f;
                    }
                    if (g.sw == 1) {
                        int src = row + ix0;
                        for (int t = tLo; t < tHi; t++) {
                            dst[at + t] = x[src + t];
                        }
                    } else {
                        int src = row + ix0 + tLo * g.sw;
                        for (int t = tLo; t < tHi; t++, src += g.sw) {
                            dst[at + t] = x[src];
                        }
                    }
                    for (int t = tHi; t < len; t++) {
                        dst[at + t] = 0f;
                    }
                }
                for (int t = cols; t < nr; t++) {
                    dst[d + t] = 0f;
                }
                if (++kx == g.kw) {
                    kx = 0;
                    if (++ky == g.kh) {
                        ky = 0;
                        if (++kz == g.kd) {
                            kz = 0;
                            ch++;
                        }
                    }
                }
            }
        }
    }
}
