package dev.kiln.runtime.quant;

import dev.kiln.runtime.kernels.conv.ConvShape;

import java.util.Arrays;

/** Input layouts of the packed integer convolution, widened to int32. */
final class IntColumns {
    private IntColumns() {
    }

    /**
     * Columns [n0, n0 + nb) of the im2col matrix of one image and group: row kk (input channel,
     * then kernel z, y, x) at cols[kk * ld], zero where the kernel falls outside the input. Output
     * positions are walked one output row at a time, so each row is one bounds computation and a
     * strided copy, without divisions.
     */
    static void pack(byte[] xb, short[] xs, int xBase, ConvShape s, int n0, int nb, int[] cols, int ld) {
        int plane = s.inputPlane();
        boolean pointwise = s.kd == 1 && s.kh == 1 && s.kw == 1 && s.sd == 1 && s.sh == 1 && s.sw == 1
                && s.pd == 0 && s.ph == 0 && s.pw == 0 && s.od == s.d && s.oh == s.h && s.ow == s.w;
        if (pointwise) {
            for (int ch = 0; ch < s.c; ch++) {
                widen(xb, xs, xBase + ch * plane + n0, cols, ch * ld, nb);
            }
            return;
        }
        int[] row2 = s.sw == 2 ? new int[s.w + 2 * IntConvVector.L] : null;
        int ohw = s.oh * s.ow;
        int oz0 = n0 / ohw;
        int oy0 = (n0 - oz0 * ohw) / s.ow;
        int ox0 = n0 - oz0 * ohw - oy0 * s.ow;
        for (int ch = 0; ch < s.c; ch++) {
            int cb = xBase + ch * plane;
            for (int kz = 0; kz < s.kd; kz++) {
                for (int ky = 0; ky < s.kh; ky++) {
                    for (int kx = 0; kx < s.kw; kx++) {
                        int d = (((ch * s.kd + kz) * s.kh + ky) * s.kw + kx) * ld;
                        int ix0 = -s.pw + kx * s.dw;
                        int oxLo = ix0 >= 0 ? 0 : Math.min(s.ow, (-ix0 + s.sw - 1) / s.sw);
                        int oxHi = ix0 >= s.w ? 0 : Math.min(s.ow, (s.w - ix0 + s.sw - 1) / s.sw);
                        int j = 0;
                        int oz = oz0;
                        int oy = oy0;
                        int ox = ox0;
                        while (j < nb) {
                            int len = Math.min(s.ow - ox, nb - j);
                            int iz = oz * s.sd - s.pd + kz * s.dd;
                            int iy = oy * s.sh - s.ph + ky * s.dh;
                            int at = d + j - ox;
                            if (iz < 0 || iz >= s.d || iy < 0 || iy >= s.h) {
                                Arrays.fill(cols, at + ox, at + ox + len, 0);
                            } else {
                                int row = cb + (iz * s.h + iy) * s.w + ix0;
                                int lo = Math.max(ox, Math.min(oxLo, ox + len));
                                int hi = Math.max(lo, Math.min(oxHi, ox + len));
                                Arrays.fill(cols, at + ox, at + lo, 0);
                                if (row2 != null && hi - lo >= IntConvVector.L) {
                                    // a contiguous widening, then the even columns picked by vector shuffles
                                    widen(xb, xs, row + lo * 2, row2, 0, 2 * (hi - lo) - 1);
                                    IntConvVector.evenLanes(row2, 0, cols, at + lo, hi - lo);
                                } else if (xb != null) {
                                    for (int o = lo; o < hi; o++) {
                                        cols[at + o] = xb[row + o * s.sw];
                                    }
                                } else {
                                    for (int o = lo; o < hi; o++) {
                                        cols[at + o] = xs[row + o * s.sw];
                                    }
                                }
                                Arrays.fill(cols, at + hi, at + ox + len, 0);
                            }
                            j += len;
                            ox = 0;
                            if (++oy == s.oh) {
                                oy = 0;
                                oz++;
                            }
                        }
                    }
                }
            }
        }
    }

    static void widen(byte[] xb, short[] xs, int from, int[] dst, int at, int n) {
        if (xb != null) {
            for (int j = 0; j < n; j++) {
                dst[at + j] = xb[from + j];
            }
        } else {
            for (int j = 0; j < n; j++) {
                dst[at + j] = xs[from + j];
            }
        }
    }

    /**
     * One 2-D input plane zero-padded, split by stride phase and held as float32 (int8 and int16
     * values are exact there): padded pixel (y, x) lives in phase
     * plane (y % sh, x % sw) at row y / sh, column x / sw, each phase plane hq x wq. Tap (ky, kx)
     * of output (oy, ox) then reads taps[t] + oy * wq + ox: the output computed on a grid of oh
     * rows of wq columns is one contiguous run per tap (columns past ow are dropped).
     */
    static final class Phases {
        final ConvShape s;
        final int hq;
        final int wq;
        final int[] taps;
        final int size;

        Phases(ConvShape s) {
            this.s = s;
            this.hq = (s.h + s.ph + s.ph2 + s.sh - 1) / s.sh;
            this.wq = (s.w + s.pw + s.pw2 + s.sw - 1) / s.sw;
            this.taps = new int[s.kh * s.kw];
            int maxOff = 0;
            for (int ky = 0; ky < s.kh; ky++) {
                for (int kx = 0; kx < s.kw; kx++) {
                    int y = ky * s.dh;
                    int x = kx * s.dw;
                    int off = ((y % s.sh) * s.sw + x % s.sw) * hq * wq + (y / s.sh) * wq + x / s.sw;
                    taps[ky * s.kw + kx] = off;
                    maxOff = Math.max(maxOff, off);
                }
            }
            int l = IntConvVector.L;
            this.size = Math.max(s.sh * s.sw * hq * wq, maxOff + (s.oh * wq + l - 1) / l * l) + l;
        }

        /** Fills planes with the image plane at x[base]. */
        void fill(byte[] xb, short[] xs, int base, float[] planes) {
            Arrays.fill(planes, 0, size, 0);
            int phase = hq * wq;
            for (int iy = 0; iy < s.h; iy++) {
                int y = iy + s.ph;
                int rowBase = (y % s.sh) * s.sw * phase + (y / s.sh) * wq;
                int src = base + iy * s.w;
                if (s.sw == 2) {
                    // image column ix is padded column x = ix + pw: phase x % 2, column x / 2
                    int ev = rowBase + (s.pw % 2) * phase + s.pw / 2;
                    int od = rowBase + ((s.pw + 1) % 2) * phase + (s.pw + 1) / 2;
                    int done = xb != null ? IntConvVector.splitPairs(xb, src, s.w / 2, planes, ev, od)
                            : IntConvVector.splitPairs(xs, src, s.w / 2, planes, ev, od);
                    for (int ix = 2 * done; ix < s.w; ix++) {
                        int x = ix + s.pw;
                        planes[rowBase + (x % 2) * phase + x / 2] = xb != null ? xb[src + ix] : xs[src + ix];
                    }
                    continue;
                }
                for (int qx = 0; qx < s.sw; qx++) {
                    // padded columns x = col * sw + qx, image column x - pw
                    int first = qx >= s.pw ? 0 : (s.pw - qx + s.sw - 1) / s.sw;
                    int ix = first * s.sw + qx - s.pw;
                    int count = ix >= s.w ? 0 : (s.w - ix + s.sw - 1) / s.sw;
                    int d = rowBase + qx * phase + first;
                    int from = src + ix;
                    if (s.sw == 1) {
                        // unit stride: a plain counted loop, which the JIT vectorizes
                        if (xb != null) {
                            for (int i = 0; i < count; i++) {
                                planes[d + i] = xb[from + i];
                            }
                        } else {
                            for (int i = 0; i < count; i++) {
                                planes[d + i] = xs[from + i];
                            }
                        }
                    } else if (xb != null) {
                        for (int i = 0; i < count; i++) {
                            planes[d + i] = xb[from + i * s.sw];
                        }
                    } else {
                        for (int i = 0; i < count; i++) {
                            planes[d + i] = xs[from + i * s.sw];
                        }
                    }
                }
            }
        }
    }
}
