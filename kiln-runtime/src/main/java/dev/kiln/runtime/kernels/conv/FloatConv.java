package dev.kiln.runtime.kernels.conv;

import dev.kiln.runtime.kernels.gemm.BPacker;
import dev.kiln.runtime.kernels.gemm.RowsB;
import dev.kiln.runtime.kernels.gemm.PackedGemm;
import dev.kiln.runtime.kernels.math.Activation;
import dev.kiln.runtime.util.Parallel;
import dev.kiln.runtime.util.Scratch;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A float32 convolution with fixed weights, as GEMMs: per image and group, weights (M_g x K) times
 * the input's im2col columns (K x N). The columns are packed from the input's channel planes
 * (pointwise), from shifted rows of a zero-padded, phase-split copy (the output is computed on the
 * padded grid and compacted), or by im2col packing (3-D, strided and dilated at once). When the output positions are too few to fill
 * the kernel's column panels (late CNN layers), the product is computed transposed, positions on the
 * rows. Depthwise 2-D convolutions run a direct kernel. Weight packings are made once, on first use,
 * and shared by all threads.
 */
public final class FloatConv {
    private final float[] w;
    private final float[] bias;
    private final int m;
    private final int group;
    private final int mg;
    private final int k;
    private final PackedGemm gemm;
    private final AtomicReferenceArray<PackedGemm.PackedA> packedA;
    private final AtomicReferenceArray<PackedGemm.PackedB> packedBt;
    private final AtomicReferenceArray<Winograd> winograd;
    /** -Dkiln.winograd=false computes 3x3 convolutions as plain GEMMs (for comparisons). */
    private static final boolean WINOGRAD = !"false".equals(System.getProperty("kiln.winograd"));
    /** Fewest input and output channels for which F(2x2, 3x3) pays for its transforms. */
    private static final int WINOGRAD_MIN_CHANNELS = Integer.getInteger("kiln.winograd.min", 16);

    /**
     * @param w     weights [M][C/group][kernel...]
     * @param m     output channels
     * @param k     (C/group) * kernel size
     * @param bias  per output channel, or null
     */
    public FloatConv(float[] w, int m, int k, int group, float[] bias, PackedGemm gemm) {
        this.w = w;
        this.bias = bias;
        this.m = m;
        this.group = group;
        this.mg = m / group;
        this.k = k;
        this.gemm = gemm;
        this.packedA = new AtomicReferenceArray<>(group);
        this.packedBt = new AtomicReferenceArray<>(group);
        this.winograd = new AtomicReferenceArray<>(group);
    }

    /** Packs the weights for the usual orientation now (at model load) rather than on first use. */
    public FloatConv prepack() {
        for (int g = 0; g < group; g++) {
            a(g);
        }
        return this;
    }

    private PackedGemm.PackedA a(int g) {
        PackedGemm.PackedA p = packedA.get(g);
        if (p == null) {
            p = gemm.packA(w, g * mg * k, k, mg, k, false);
            packedA.compareAndSet(g, null, p);
        }
        return p;
    }

    private PackedGemm.PackedB bt(int g) {
        PackedGemm.PackedB p = packedBt.get(g);
        if (p == null) {
            p = gemm.packB(w, g * mg * k, k, k, mg, true);
            packedBt.compareAndSet(g, null, p);
        }
        return p;
    }

    private Winograd winograd(int g) {
        Winograd p = winograd.get(g);
        if (p == null) {
            p = new Winograd(w, g * mg * k, mg, k / 9, gemm);
            winograd.compareAndSet(g, null, p);
            p = winograd.get(g);
        }
        return p;
    }

    /**
     * y[batch][M][out...] = conv(x[batch][C][in...]) + bias, clamped to [lo, hi].
     *
     * @param s geometry with per-group input channels
     */
    public void run(float[] x, float[] y, int batch, int c, ConvShape s, float lo, float hi, Parallel par) {
        run(x, y, batch, c, s, null, lo, hi, par);
    }

    /**
     * As {@link #run(float[], float[], int, int, ConvShape, float, float, Parallel)} with a residual
     * (same layout as y, or null) added before the clamp: the fused Conv + Add (+ Relu) of residual
     * networks.
     */
    public void run(float[] x, float[] y, int batch, int c, ConvShape s, float[] residual, float lo, float hi,
                    Parallel par) {
        run(x, y, batch, c, s, residual, lo, hi, Activation.NONE, par);
    }

    /**
     * As {@link #run(float[], float[], int, int, ConvShape, float[], float, float, Parallel)}, then
     * the activation {@code act} applied to each part of the output as soon as it is written.
     */
    public void run(float[] x, float[] y, int batch, int c, ConvShape s, float[] residual, float lo, float hi,
                    Activation act, Parallel par) {
        int cg = c / group;
        boolean clampInGemm = residual == null;
        float glo = clampInGemm ? lo : Float.NEGATIVE_INFINITY;
        float ghi = clampInGemm ? hi : Float.POSITIVE_INFINITY;
        if (group > 1 && cg == 1 && s.kd == 1 && s.d == 1) {
            DepthwiseConv.run(x, w, bias, y, batch, c, m / c, s, glo, ghi, residual == null ? act : Activation.NONE,
                    par);
            if (residual != null) {
                addClamp(y, 0, residual, y.length, lo, hi, act, par);
            }
            return;
        }
        int inPlane = s.inputPlane();
        int outPlane = s.outputPlane();
        if (WINOGRAD && Winograd.fits(s) && cg >= WINOGRAD_MIN_CHANNELS
                && mg >= WINOGRAD_MIN_CHANNELS && Winograd.worthIt(gemm, mg, s)) {
            for (int b = 0; b < batch; b++) {
                for (int g = 0; g < group; g++) {
                    winograd(g).run(x, (b * c + g * cg) * inPlane, y, (b * m + g * mg) * outPlane, s, bias, g * mg,
                            residual, lo, hi, act, par);
                }
            }
            return;
        }
        boolean unitStride = s.sd == 1 && s.sh == 1 && s.sw == 1;
        // 2-D and 1-D convolutions read their columns in place from (phase-split) padded planes,
        // except strided and dilated at once, and 3-D, which take the im2col packer
        boolean phased = !s.isPointwise() && s.kd == 1 && s.d == 1 && (unitStride || (s.dh == 1 && s.dw == 1));
        int hq = (s.h + s.ph + s.ph2 + s.sh - 1) / s.sh;
        int wq = (s.w + s.pw + s.pw2 + s.sw - 1) / s.sw;
        int grid = phased ? s.oh * wq : outPlane;
        // the padded grid's extra columns are waste in the usual orientation; the transposed one
        // picks the exact output positions from the grid
        double usual = gemm.efficiency(mg, grid) * outPlane / grid;
        boolean transposed = gemm.efficiency(outPlane, mg) > 1.15 * usual;
        int n = transposed ? outPlane : grid;
        float[] tmp = phased || transposed ? Scratch.floats(Scratch.CONV_RESULT, mg * n) : null;
        int[] offsets = phased ? phaseRowOffsets(cg, s, hq, wq) : null;
        int[] gridAt = phased && transposed ? gridPositions(s, wq) : null;
        for (int b = 0; b < batch; b++) {
            for (int g = 0; g < group; g++) {
                int xBase = (b * c + g * cg) * inPlane;
                int yBase = (b * m + g * mg) * outPlane;
                BPacker cols;
                if (s.isPointwise()) {
                    cols = new RowsB(x, rowOffsets(cg, inPlane, xBase), inPlane);
                } else if (phased) {
                    cols = new RowsB(phases(x, xBase, cg, s, hq, wq, (s.kw - 1) * s.dw / s.sw + 1, par), offsets, n,
                            gridAt);
                } else {
                    cols = new Im2colB(x, xBase, s);
                }
                if (transposed) {
                    PackedGemm.PackedA at = gemm.packTransposed(cols, n, k, par);
                    gemm.multiply(at, bt(g), mg, tmp, 0, mg, null, 0, Float.NEGATIVE_INFINITY,
                            Float.POSITIVE_INFINITY, par);
                    writeTransposed(tmp, y, yBase, g, s, residual, lo, hi, act, par);
                } else if (phased) {
                    gemm.multiply(a(g), cols, n, tmp, 0, n, bias, g * mg, glo, ghi, par);
                    compact(tmp, y, yBase, n, wq, s, residual, lo, hi, act, par);
                } else {
                    gemm.multiply(a(g), cols, n, y, yBase, outPlane, bias, g * mg, glo, ghi, par);
                    if (residual != null) {
                        addClamp(y, yBase, residual, mg * outPlane, lo, hi, act, par);
                    } else if (act != Activation.NONE) {
                        int base = yBase;
                        par.forRange(mg, 8, (from, to) -> act.apply(y, base + from * outPlane, (to - from) * outPlane));
                    }
                }
            }
        }
    }

    /** Where each output position (oy, ox) sits on the padded grid of row width wq. */
    private static int[] gridPositions(ConvShape s, int wq) {
        int[] at = new int[s.oh * s.ow];
        for (int oy = 0; oy < s.oh; oy++) {
            for (int ox = 0; ox < s.ow; ox++) {
                at[oy * s.ow + ox] = oy * wq + ox;
            }
        }
        return at;
    }

    /** Rows of a pointwise convolution: channel c's plane. */
    static int[] rowOffsets(int channels, int plane, int base) {
        int[] off = new int[channels];
        for (int c = 0; c < channels; c++) {
            off[c] = base + c * plane;
        }
        return off;
    }

    /**
     * Where im2col row (c, ky, kx) starts in the phase planes: a convolution of stride (sh, sw) is
     * the sum over the sh*sw phases (py, px) of unit-stride convolutions of the subsampled padded
     * input x_pq[i][j] = xpad[i*sh + py][j*sw + px] with the taps of that parity, tap (ky, kx) moving
     * by (ky / sh, kx / sw). With unit stride there is one phase and dilations just scale the shift.
     */
    static int[] phaseRowOffsets(int channels, ConvShape s, int hq, int wq) {
        int[] off = new int[channels * s.kh * s.kw];
        int phases = s.sh * s.sw;
        int k = 0;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < s.kh; ky++) {
                for (int kx = 0; kx < s.kw; kx++) {
                    int ty = ky * s.dh;
                    int tx = kx * s.dw;
                    int phase = c * phases + (ty % s.sh) * s.sw + tx % s.sw;
                    off[k++] = (phase * hq + ty / s.sh) * wq + tx / s.sw;
                }
            }
        }
        return off;
    }

    /**
     * The zero-padded input split into its sh*sw phases, each hq x wq, channel-major (then {@code
     * slack} trailing zeros): phase (py, px) of channel c holds xpad[i*sh + py][j*sw + px].
     */
    static float[] phases(float[] x, int xOff, int channels, ConvShape s, int hq, int wq, int slack, Parallel par) {
        int size = channels * s.sh * s.sw * hq * wq;
        float[] out = Scratch.floats(Scratch.CONV_INPUT, size + slack);
        java.util.Arrays.fill(out, size, size + slack, 0f);
        par.forRange(channels, 16, (from, to) -> phasesInto(out, x, xOff, from, to, s, hq, wq));
        return out;
    }

    /**
     * Writes channels [from, to) into their phase planes (positions outside the image as zeros),
     * skipping the phases no tap reads.
     */
    static void phasesInto(float[] out, float[] x, int xOff, int from, int to, ConvShape s, int hq, int wq) {
        int phases = s.sh * s.sw;
        for (int c = from; c < to; c++) {
            int src = xOff + c * s.h * s.w;
            for (int py = 0; py < s.sh; py++) {
                if (!tapsReach(py, s.kh, s.dh, s.sh)) {
                    continue;
                }
                for (int px = 0; px < s.sw; px++) {
                    if (!tapsReach(px, s.kw, s.dw, s.sw)) {
                        continue;
                    }
                    int dst = ((c * phases + py * s.sw + px) * hq) * wq;
                    // columns j with 0 <= j*sw + px - pw < w
                    int j0 = Math.min(wq, Math.max(0, (s.pw - px + s.sw - 1) / s.sw));
                    int j1 = Math.max(j0, Math.min(wq, (s.w + s.pw - px + s.sw - 1) / s.sw));
                    int first = j0 * s.sw + px - s.pw;
                    for (int i = 0; i < hq; i++) {
                        int iy = i * s.sh + py - s.ph;
                        int d = dst + i * wq;
                        if (iy < 0 || iy >= s.h || j1 == j0) {
                            java.util.Arrays.fill(out, d, d + wq, 0f);
                            continue;
                        }
                        java.util.Arrays.fill(out, d, d + j0, 0f);
                        java.util.Arrays.fill(out, d + j1, d + wq, 0f);
                        int row = src + iy * s.w + first;
                        d += j0;
                        if (s.sw == 1) {
                            System.arraycopy(x, row, out, d, j1 - j0);
                        } else {
                            int step = s.sw;
                            for (int j = 0, e = j1 - j0; j < e; j++) {
                                out[d + j] = x[row + j * step];
                            }
                        }
                    }
                }
            }
        }
    }

    /** True when some tap k < taps (dilation dil) falls on phase {@code phase} of stride {@code stride}. */
    private static boolean tapsReach(int phase, int taps, int dil, int stride) {
        for (int k = 0; k < taps; k++) {
            if (k * dil % stride == phase) {
                return true;
            }
        }
        return false;
    }

    /** y[i] = act(clamp(y[i] + res[i])) over [from, from + len). */
    private static void addClamp(float[] y, int from, float[] res, int len, float lo, float hi, Activation act,
                                 Parallel par) {
        par.forRange(len, 1 << 14, (a, b) -> {
            for (int i = from + a; i < from + b; i++) {
                y[i] = Math.min(Math.max(y[i] + res[i], lo), hi);
            }
            act.apply(y, from + a, b - a);
        });
    }

    /**
     * y[m][oy][ox] = tmp[m][oy * wp + ox], dropping the grid's extra columns; with a residual,
     * clamp(tmp + residual) instead.
     */
    private void compact(float[] tmp, float[] y, int yBase, int n, int wp, ConvShape s, float[] res, float lo,
                         float hi, Activation act, Parallel par) {
        int outPlane = s.outputPlane();
        par.forRange(mg, 8, (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int oy = 0; oy < s.oh; oy++) {
                    int src = r * n + oy * wp;
                    int dst = yBase + r * outPlane + oy * s.ow;
                    if (res == null) {
                        System.arraycopy(tmp, src, y, dst, s.ow);
                    } else {
                        for (int ox = 0; ox < s.ow; ox++) {
                            y[dst + ox] = Math.min(Math.max(tmp[src + ox] + res[dst + ox], lo), hi);
                        }
                    }
                }
                act.apply(y, yBase + r * outPlane, outPlane);
            }
        });
    }

    /**
     * y[m][p] = act(clamp(tmp[p][m] + bias[m] (+ residual))): a transposition, done for blocks of
     * TB positions, channel by channel, so the TB rows of tmp read stay in cache while every
     * channel's row of y is written contiguously.
     */
    private void writeTransposed(float[] tmp, float[] y, int yBase, int g, ConvShape s, float[] res, float lo,
                                 float hi, Activation act, Parallel par) {
        int outPlane = s.outputPlane();
        int[] map = TransposedRows.gatherMap(mg);
        int blocks = (mg + TB - 1) / TB;
        par.forRange(blocks, 1, (from, to) -> {
            int r0 = from * TB;
            int r1 = Math.min(mg, to * TB);
            for (int p0 = 0; p0 < outPlane; p0 += TB) {
                int p1 = Math.min(outPlane, p0 + TB);
                for (int r = r0; r < r1; r++) {
                    float bv = bias == null ? 0f : bias[g * mg + r];
                    int dst = yBase + r * outPlane;
                    TransposedRows.row(tmp, mg, r, p0, p1, bv, res, y, dst, lo, hi, map);
                    act.apply(y, dst + p0, p1 - p0);
                }
            }
        });
    }

    /** Positions per block of {@link #writeTransposed}, and channels per parallel task. */
    private static final int TB = 64;
}
