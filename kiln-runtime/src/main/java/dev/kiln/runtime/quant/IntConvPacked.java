package dev.kiln.runtime.quant;

import dev.kiln.runtime.kernels.conv.ConvShape;
import dev.kiln.runtime.util.Parallel;

import java.util.Arrays;

/**
 * The Vector API form of {@link IntConv}: the same int32 accumulators, requantized by the same
 * float32 operations, so its output equals the scalar reference bit for bit.
 *
 * <p>Weights are widened to int32 once and packed in panels of {@link IntConvVector#MR} output
 * channels (row kk of a panel holds the panel's MR weights for column kk, zero rows past the last
 * channel). Per block of output positions the input's im2col columns are packed as int32 rows of a
 * fixed stride into per-thread scratch, then every panel sweeps them in tiles of two (then one)
 * vectors of positions. Positions past the block's end are computed on stale scratch and dropped.
 * Fewer than {@link #NARROW} positions (squeeze-excitation convolutions on 1x1 planes) run as dot
 * products of weight rows with each gathered column. Depthwise 2-D convolutions copy each input plane once into zero-padded int32
 * planes split by stride phase, where every tap reads one contiguous run.
 */
final class IntConvPacked {
    /** Output planes narrower than this are computed position by position. */
    static final int NARROW = 4;
    /** Integers up to this magnitude are exact in float32. */
    static final long FLOAT_EXACT = 1L << 24;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final int mg;
    private final int k;
    private final int group;
    private final int panels;
    /** [group][panel][k][MR] */
    private final byte[] wp;
    /** The same panels as float32, for the float-exact tiles. */
    private final float[] wpf;
    /** Largest sum of |w| over one output channel's weights: bounds every partial sum of a dot product. */
    private final long maxRowAbs;
    /** The weights [M][k]. */
    private final byte[] w;
    /** The same as float32, made on first use by a depthwise convolution or an output narrower than {@link #NARROW}. */
    private volatile float[] floatRows;
    /** Whether the float-exact tiles may be used (tests and benchmarks turn them off to compare). */
    boolean floatTiles = true;
    /** [group][panel][MR], zero without a bias and past the last channel */
    private final int[] biasP;
    private final float[] multiplier;

    /** Per-thread buffers, each grown to the largest size asked for so far. */
    private static final class Scratch {
        static final int COLS = 0;
        static final int ACC = 1;
        /** packed columns, accumulators */
        final int[][] ints = {new int[0], new int[0]};
        float[] planes = new float[0];

        int[] ints(int which, int n) {
            if (ints[which].length < n) {
                ints[which] = new int[n];
            }
            return ints[which];
        }

        float[] planes(int n) {
            if (planes.length < n) {
                planes = new float[n];
            }
            return planes;
        }
    }

    IntConvPacked(byte[] w, int m, int k, int group, int[] bias, float[] multiplier) {
        int mr = IntConvVector.MR;
        this.mg = m / group;
        this.k = k;
        this.group = group;
        this.panels = (mg + mr - 1) / mr;
        this.multiplier = multiplier;
        this.w = w;
        this.wp = new byte[group * panels * k * mr];
        this.biasP = new int[group * panels * mr];
        long rowAbs = 0;
        for (int ch = 0; ch < m; ch++) {
            long sum = 0;
            for (int kk = 0; kk < k; kk++) {
                sum += Math.abs(w[ch * k + kk]);
            }
            rowAbs = Math.max(rowAbs, sum);
        }
        this.maxRowAbs = rowAbs;
        for (int g = 0; g < group; g++) {
            for (int oc = 0; oc < mg; oc++) {
                int ch = g * mg + oc;
                int p = g * panels + oc / mr;
                int r = oc % mr;
                for (int kk = 0; kk < k; kk++) {
                    wp[(p * k + kk) * mr + r] = w[ch * k + kk];
                }
                biasP[p * mr + r] = bias == null ? 0 : bias[ch];
            }
        }
        this.wpf = new float[wp.length];
        for (int i = 0; i < wp.length; i++) {
            wpf[i] = wp[i];
        }
    }

    /**
     * True when every partial sum of a dot product of weights with inputs of magnitude at most
     * xMax is an integer of magnitude at most 2^24, hence exact in float32 in any order.
     */
    private boolean floatExact(int xMax) {
        return floatTiles && maxRowAbs * xMax <= FLOAT_EXACT;
    }

    /** Block width for k rows: the packed columns stay around 128 KB. */
    private static int blockWidth(int k) {
        int step = 2 * IntConvVector.L;
        int b = (32768 / Math.max(1, k)) / step * step;
        return Math.max(Math.max(step, 64), Math.min(512, b));
    }

    void run(byte[] xb, short[] xs, byte[] yb, short[] ys, int batch, int c, ConvShape s, int lo, int hi,
             Parallel par) {
        int cg = c / group;
        int inPlane = s.inputPlane();
        int outPlane = s.outputPlane();
        int mr = IntConvVector.MR;
        int block = blockWidth(k);
        int blocks = (outPlane + block - 1) / block;
        int threads = par.threads();
        int split = blocks >= threads ? 1 : Math.min(panels, threads);
        int perPart = (panels + split - 1) / split;
        boolean exact = floatExact(xb != null ? 128 : 32768);
        for (int b = 0; b < batch; b++) {
            for (int g = 0; g < group; g++) {
                int xBase = (b * c + g * cg) * inPlane;
                int yBase = (b * group + g) * mg * outPlane;
                int gg = g;
                par.forRange(blocks * split, 1, (from, to) -> {
                    Scratch sc = SCRATCH.get();
                    int[] cols = sc.ints(Scratch.COLS, k * block + 2 * IntConvVector.L);
                    int[] acc = sc.ints(Scratch.ACC, mr * block);
                    for (int t = from; t < to; t++) {
                        int blk = t / split;
                        int part = t - blk * split;
                        int n0 = blk * block;
                        int nb = Math.min(block, outPlane - n0);
                        IntColumns.pack(xb, xs, xBase, s, n0, nb, cols, block);
                        int pEnd = Math.min(panels, (part + 1) * perPart);
                        for (int p = part * perPart; p < pEnd; p++) {
                            int gp = gg * panels + p;
                            if (nb < NARROW) {
                                narrow(cols, block, nb, gg * mg + p * mr, Math.min(mr, mg - p * mr), acc, sc, exact);
                            } else {
                                panel(cols, block, nb, gp, acc, exact);
                            }
                            int rows = Math.min(mr, mg - p * mr);
                            for (int r = 0; r < rows; r++) {
                                int oc = p * mr + r;
                                store(acc, r * block, nb, multiplier[gg * mg + oc], lo, hi, yb, ys,
                                        yBase + oc * outPlane + n0);
                            }
                        }
                    }
                });
            }
        }
    }

    /** The accumulators of panel gp for the nb packed columns, row r at acc[r * ld]. */
    private void panel(int[] cols, int ld, int nb, int gp, int[] acc, boolean exact) {
        int mr = IntConvVector.MR;
        int wo = gp * k * mr;
        int bo = gp * mr;
        int l = IntConvVector.L;
        int j = 0;
        if (exact) {
            for (; j + l < nb; j += 2 * l) {
                IntConvVector.tile2f(wpf, wo, cols, j, ld, k, biasP, bo, acc, j, ld);
            }
            if (j < nb) {
                IntConvVector.tile1f(wpf, wo, cols, j, ld, k, biasP, bo, acc, j, ld);
            }
            return;
        }
        for (; j + l < nb; j += 2 * l) {
            IntConvVector.tile2(wp, wo, cols, j, ld, k, biasP, bo, acc, j, ld);
        }
        if (j < nb) {
            IntConvVector.tile1(wp, wo, cols, j, ld, k, biasP, bo, acc, j, ld);
        }
    }

    /** The accumulators of output channels [ch0, ch0 + rows) for the nb packed columns, row r at acc[r * ld]. */
    private void narrow(int[] cols, int ld, int nb, int ch0, int rows, int[] acc, Scratch sc, boolean exact) {
        float[] wr = exact ? floatRows() : null;
        float[] col = sc.planes(k + IntConvVector.L);
        for (int j = 0; j < nb; j++) {
            for (int kk = 0; kk < k; kk++) {
                col[kk] = cols[kk * ld + j];
            }
            for (int r = 0; r < rows; r++) {
                int ch = ch0 + r;
                int bv = biasP[(ch / mg * panels) * IntConvVector.MR + ch % mg];
                if (exact) {
                    acc[r * ld + j] = bv + IntConvVector.dot(wr, ch * k, col, k);
                } else {
                    int a = bv;
                    for (int kk = 0; kk < k; kk++) {
                        a += w[ch * k + kk] * (int) col[kk];
                    }
                    acc[r * ld + j] = a;
                }
            }
        }
    }

    private float[] floatRows() {
        float[] r = floatRows;
        if (r == null) {
            r = new float[w.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = w[i];
            }
            floatRows = r;
        }
        return r;
    }

    /** Requantizes acc[ao, ao + n) into y at {@code at}. */
    static void store(int[] acc, int ao, int n, float mult, int lo, int hi, byte[] yb, short[] ys, int at) {
        if (yb != null && IntConvVector.B != null && lo >= -128 && hi <= 127) {
            IntConvVector.requantizeBytes(acc, ao, n, mult, lo, hi, yb, at);
            return;
        }
        if (Math.max(-lo, hi) <= IntConvVector.ROUNDER_RANGE) {
            IntConvVector.requantize(acc, ao, n, mult, lo, hi);
        } else {
            for (int j = 0; j < n; j++) {
                acc[ao + j] = QuantMath.requantize(acc[ao + j], mult, 0, lo, hi);
            }
        }
        if (yb != null) {
            for (int j = 0; j < n; j++) {
                yb[at + j] = (byte) acc[ao + j];
            }
        } else {
            for (int j = 0; j < n; j++) {
                ys[at + j] = (short) acc[ao + j];
            }
        }
    }

    /** Depthwise 2-D convolution (one input channel per group, any channel multiplier). */
    void depthwise(byte[] xb, short[] xs, byte[] yb, short[] ys, int batch, int c, ConvShape s, int lo, int hi,
                   Parallel par) {
        int m = mg * group;
        int mult = m / c;
        int inPlane = s.inputPlane();
        int outPlane = s.outputPlane();
        IntColumns.Phases ph = new IntColumns.Phases(s);
        int grid = s.oh * ph.wq;
        boolean exact = floatExact(xb != null ? 128 : 32768);
        float[] wf = exact ? floatRows() : null;
        par.forRange(batch * c, 1, (from, to) -> {
            Scratch sc = SCRATCH.get();
            float[] planes = sc.planes(ph.size);
            int[] acc = sc.ints(Scratch.ACC, grid + 2 * IntConvVector.L);
            for (int t = from; t < to; t++) {
                int b = t / c;
                int ic = t - b * c;
                ph.fill(xb, xs, (b * c + ic) * inPlane, planes);
                for (int j = 0; j < mult; j++) {
                    int oc = ic * mult + j;
                    int bv = biasP[(oc / mg * panels) * IntConvVector.MR + oc % mg];
                    if (exact) {
                        IntConvVector.depthwiseGridF(planes, wf, oc * k, ph.taps, bv, acc, grid);
                    } else {
                        IntConvVector.depthwiseGrid(planes, w, oc * k, ph.taps, bv, acc, grid);
                    }
                    for (int oy = 0; oy < s.oh; oy++) {
                        System.arraycopy(acc, oy * ph.wq, acc, oy * s.ow, s.ow);
                    }
                    store(acc, 0, outPlane, multiplier[oc], lo, hi, yb, ys, (b * m + oc) * outPlane);
                }
            }
        });
    }
}
