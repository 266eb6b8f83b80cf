package dev.kiln.runtime.kernels.conv;

import dev.kiln.runtime.kernels.gemm.PackedGemm;
import dev.kiln.runtime.kernels.math.Activation;
import dev.kiln.runtime.util.Parallel;
import dev.kiln.runtime.util.Scratch;

/**
 * 3x3, stride-1, undilated 2-D convolutions by Winograd's minimal filtering F(2x2, 3x3): every 2x2
 * block of outputs (a tile) costs 16 multiplications per input channel instead of 36, the sums
 * over channels becoming 16 GEMMs of the transformed weights U_xi (M x C) with the transformed
 * input tiles V_xi (C x tiles); see {@link WinogradTransforms} for the transforms.
 *
 * <p>The tiles are laid on the grid of the input's phase planes (row width wq = tiles per row + 1,
 * the extra column computed and dropped, as {@link FloatConv} does with its padded grid), so the
 * transforms run on long unit-stride runs. One column panel of NR tiles at a time is transformed
 * straight into the GEMM's packed layout, multiplied and transformed back, all in the thread's
 * cache. Used when the tiles fill the panels well; the few tiles of late layers are better served
 * by the plain GEMM's transposed orientation.
 */
final class Winograd {
    private final int m;
    private final int c;
    /** U as 16 matrices M x C. */
    private final float[] u;
    private final PackedGemm gemm;
    private volatile PackedGemm.PackedA[] ua;
    private static final ThreadLocal<float[][]> SCRATCH = new ThreadLocal<>();

    /** @param w weights [m][c][3][3] starting at w[wOff] */
    Winograd(float[] w, int wOff, int m, int c, PackedGemm gemm) {
        this.m = m;
        this.c = c;
        this.gemm = gemm;
        this.u = new float[16 * m * c];
        for (int i = 0; i < m * c; i++) {
            WinogradTransforms.kernel(w, wOff + 9 * i, u, i, m * c);
        }
    }

    /** True for the convolutions this computes: 2-D 3x3, unit strides and dilations. */
    static boolean fits(ConvShape s) {
        return s.kd == 1 && s.d == 1 && s.kh == 3 && s.kw == 3 && s.sh == 1 && s.sw == 1 && s.dh == 1 && s.dw == 1;
    }

    private PackedGemm.PackedA[] ua() {
        PackedGemm.PackedA[] p = ua;
        if (p == null) {
            p = new PackedGemm.PackedA[16];
            for (int xi = 0; xi < 16; xi++) {
                p[xi] = gemm.packA(u, xi * m * c, c, m, c, false);
            }
            ua = p;
        }
        return p;
    }

    /**
     * True when this output is better computed here than by the plain GEMM: enough tiles to fill
     * the column panels (with few tiles the plain GEMM's transposed orientation wins).
     */
    static boolean worthIt(PackedGemm gemm, int m, ConvShape s) {
        int n = tileGrid(s);
        return gemm.efficiency(m, n) * 1.15 >= gemm.efficiency(n, m);
    }

    private static int tileGrid(ConvShape s) {
        return (s.oh + 1) / 2 * ((s.ow + 1) / 2 + 1);
    }

    /**
     * y[m][oh][ow] (at y[yBase]) = act(clamp(conv(x) + bias + residual)) for one image and group;
     * x[c][h][w] at x[xBase]; residual (same layout as y) may be null.
     */
    void run(float[] x, int xBase, float[] y, int yBase, ConvShape s, float[] bias, int biasOff, float[] res, float lo,
             float hi, Activation act, Parallel par) {
        int th = (s.oh + 1) / 2;
        int tw = (s.ow + 1) / 2;
        int hq = th + 1;
        int wq = tw + 1;
        int n = th * wq;
        int plane = hq * wq;
        int nr = gemm.nr();
        // phase planes of the padded input, with slack for the last panel's reads past the grid
        int size = c * 4 * plane;
        float[] p = Scratch.floats(Scratch.WINOGRAD_INPUT, size + nr + wq + 2);
        java.util.Arrays.fill(p, size, size + nr + wq + 2, 0f);
        ConvShape split = new ConvShape(c, new int[] {s.h, s.w}, new int[] {4, 4}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {s.ph, s.pw}, new int[] {s.ph2, s.pw2}, new int[] {th, tw});
        par.forRange(c, 16, (from, to) -> FloatConv.phasesInto(p, x, xBase, from, to, split, hq, wq));
        // without a residual, bias, clamp and activation are applied to the transformed tiles;
        // with one, after the residual is added in a last pass over y
        Epilogue out = res == null ? new Epilogue(y, yBase, s, tw, wq, bias, biasOff, lo, hi, act)
                : new Epilogue(y, yBase, s, tw, wq, bias, biasOff, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
                        Activation.NONE);
        runPanels(p, plane, wq, n, out, par);
        if (res != null) {
            int outPlane = s.outputPlane();
            par.forRange(m, 4, (from, to) -> {
                for (int i = yBase + from * outPlane, e = yBase + to * outPlane; i < e; i++) {
                    y[i] = Math.min(Math.max(y[i] + res[i], lo), hi);
                }
                act.apply(y, yBase + from * outPlane, (to - from) * outPlane);
            });
        }
    }

    /** Many tiles: per column panel of NR tiles, transform, 16 panel GEMMs, transform back. */
    private void runPanels(float[] p, int plane, int wq, int n, Epilogue out, Parallel par) {
        PackedGemm.PackedA[] a = ua();
        int nr = gemm.nr();
        int mp = PackedGemm.paddedRows(a[0]);
        int panels = (n + nr - 1) / nr;
        par.forRange(panels, 1, (from, to) -> {
            float[][] s = scratch(16 * c * nr, 16 * mp * nr, 4 * nr);
            float[] v = s[0];
            float[] mm = s[1];
            float[] o = s[2];
            for (int pi = from; pi < to; pi++) {
                int q0 = pi * nr;
                for (int ci = 0; ci < c; ci++) {
                    WinogradTransforms.input(p, ci * 4 * plane, plane, wq, q0, nr, v, ci * nr, c * nr);
                }
                for (int xi = 0; xi < 16; xi++) {
                    gemm.multiplyPanel(a[xi], v, xi * c * nr, mm, xi * mp * nr, nr);
                }
                int len = Math.min(nr, n - q0);
                for (int mi = 0; mi < m; mi++) {
                    WinogradTransforms.output(mm, mi * nr, mp * nr, nr, o, 0, nr);
                    out.finishChannel(o, 4 * nr, mi);
                    out.tilesOfChannel(o, nr, mi, q0, len);
                }
            }
        });
    }

    private static float[][] scratch(int v, int mm, int o) {
        float[][] s = SCRATCH.get();
        if (s == null || s[0].length < v || s[1].length < mm || s[2].length < o) {
            s = new float[][] {new float[Math.max(v, s == null ? 0 : s[0].length)],
                new float[Math.max(mm, s == null ? 0 : s[1].length)], new float[Math.max(o, s == null ? 0 : s[2].length)]};
            SCRATCH.set(s);
        }
        return s;
    }

    /**
     * Puts transformed-back tiles into y, dropping the grid's extra tiles: adds the bias, clamps
     * and applies the activation to whole arrays of tile values first (vectorisable), then copies
     * each value to its place.
     */
    private static final class Epilogue {
        final float[] y;
        final int yBase;
        final int oh;
        final int ow;
        final int outPlane;
        final int tw;
        final int wq;
        final float[] bias;
        final int biasOff;
        final float lo;
        final float hi;
        final Activation act;

        Epilogue(float[] y, int yBase, ConvShape s, int tw, int wq, float[] bias, int biasOff, float lo, float hi,
                 Activation act) {
            this.y = y;
            this.yBase = yBase;
            this.oh = s.oh;
            this.ow = s.ow;
            this.outPlane = s.oh * s.ow;
            this.tw = tw;
            this.wq = wq;
            this.bias = bias;
            this.biasOff = biasOff;
            this.lo = lo;
            this.hi = hi;
            this.act = act;
        }

        /** o[0, len) of output channel mi: + bias, clamp, activation. */
        void finishChannel(float[] o, int len, int mi) {
            float bv = bias == null ? 0f : bias[biasOff + mi];
            for (int i = 0; i < len; i++) {
                o[i] = Math.min(Math.max(o[i] + bv, lo), hi);
            }
            act.apply(o, 0, len);
        }

        /** Tiles q0 .. q0+len of output channel mi, O_ab[j] at o[ab * stride + j]. */
        void tilesOfChannel(float[] o, int stride, int mi, int q0, int len) {
            int base = yBase + mi * outPlane;
            int ty = q0 / wq;
            int tx = q0 - ty * wq;
            for (int j = 0; j < len; j++) {
                if (tx < tw) {
                    int oy = 2 * ty;
                    int ox = 2 * tx;
                    int at = base + oy * ow + ox;
                    boolean right = ox + 1 < ow;
                    y[at] = o[j];
                    if (right) {
                        y[at + 1] = o[stride + j];
                    }
                    if (oy + 1 < oh) {
                        y[at + ow] = o[2 * stride + j];
                        if (right) {
                            y[at + ow + 1] = o[3 * stride + j];
                        }
                    }
                }
                if (++tx == wq) {
                    tx = 0;
                    ty++;
                }
            }
        }
    }
}
