package dev.kiln.runtime.kernels.gemm;

import dev.kiln.runtime.util.Parallel;

/**
 * Single-precision GEMM, C = A·B (+ bias per row of C, clamped to [lo, hi]), in the classic
 * packed-panel form: A is packed once into MR-row panels (weights are packed at model load), B is
 * packed per call in blocks of KC x (NCP·NR) by a {@link BPacker} (which may build convolution
 * columns on the fly), and a register-blocked {@link MicroKernel} computes each MR x NR tile.
 * Work is split over column blocks and, when those are few, row ranges too, so both cores work
 * even on the small spatial sizes of late CNN layers.
 */
public final class PackedGemm {
    /** Depth of one packed block of the shared dimension. */
    public static final int KC = 256;
    /** B panels per task: the A micro-panel is reused across them while it sits in L1. */
    private static final int NCP = 4;

    private static final ThreadLocal<float[][]> SCRATCH = new ThreadLocal<>();

    private final MicroKernel mk;
    private final int mr;
    private final int nr;

    public PackedGemm(MicroKernel mk) {
        this.mk = mk;
        this.mr = mk.mr();
        this.nr = mk.nr();
    }

    private static final PackedGemm DEFAULT = new PackedGemm(GemmKernels.get());

    /** The GEMM on the micro-kernel chosen at start-up. */
    public static PackedGemm standard() {
        return DEFAULT;
    }

    public MicroKernel kernel() {
        return mk;
    }

    /** A packed for one kernel shape: per KC block, per MR-row panel, kc groups of MR values. */
    public static final class PackedA {
        final float[] data;
        final int m;
        final int k;
        final int mPadded;
        final int mr;

        PackedA(float[] data, int m, int k, int mPadded, int mr) {
            this.data = data;
            this.m = m;
            this.k = k;
            this.mPadded = mPadded;
            this.mr = mr;
        }

        public int rows() {
            return m;
        }

        public int depth() {
            return k;
        }
    }

    /** Packs A (M x K at {@code a[off]}, row stride lda), or A's transpose when trans (A stored K x M). */
    public PackedA packA(float[] a, int off, int lda, int m, int k, boolean trans) {
        int mp = (m + mr - 1) / mr * mr;
        float[] d = new float[Math.max(1, mp * k)];
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            for (int i = 0; i * mr < m; i++) {
                int base = k0 * mp + i * kc * mr;
                for (int r = 0; r < mr; r++) {
                    int row = i * mr + r;
                    if (row >= m) {
                        continue;
                    }
                    for (int kk = 0; kk < kc; kk++) {
                        int kidx = k0 + kk;
                        d[base + kk * mr + r] = trans ? a[off + kidx * lda + row] : a[off + row * lda + kidx];
                    }
                }
            }
        }
        return new PackedA(d, m, k, mp, mr);
    }

    /**
     * C[M x N] (at {@code c[cOff]}, row stride ldc) = A·B + bias[row], clamped to [lo, hi]. B is K x N
     * supplied by {@code b}. bias may be null.
     */
    public void multiply(PackedA a, BPacker b, int n, float[] c, int cOff, int ldc, float[] bias, int biasOff,
                         float lo, float hi, Parallel par) {
        if (a.mr != mr) {
            throw new IllegalArgumentException("A was packed for a different kernel");
        }
        int m = a.m;
        int k = a.k;
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                float v = Math.min(Math.max(bias == null ? 0f : bias[biasOff + i], lo), hi);
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, v);
            }
            return;
        }
        float[] pb = null;
        if (bias != null) {
            pb = new float[a.mPadded];
            System.arraycopy(bias, biasOff, pb, 0, m);
        }
        final float[] paddedBias = pb;
        int mPanels = (m + mr - 1) / mr;
        int nPanels = (n + nr - 1) / nr;
        int nBlocks = (nPanels + NCP - 1) / NCP;
        int threads = par.threads();
        int mChunks = 1;
        if (threads > 1 && nBlocks < 2 * threads) {
            mChunks = Math.min(mPanels, (2 * threads + nBlocks - 1) / nBlocks);
        }
        int chunks = mChunks;
        par.forRange(nBlocks * chunks, 1, (from, to) -> {
            float[][] s = scratch();
            float[] bbuf = s[0];
            float[] tile = s[1];
            for (int t = from; t < to; t++) {
                int nb = t / chunks;
                int mc = t % chunks;
                int p0 = nb * NCP;
                int np = Math.min(NCP, nPanels - p0);
                int i0 = (int) ((long) mc * mPanels / chunks);
                int i1 = (int) ((long) (mc + 1) * mPanels / chunks);
                for (int k0 = 0; k0 < k; k0 += KC) {
                    int kc = Math.min(KC, k - k0);
                    boolean first = k0 == 0;
                    boolean last = k0 + kc >= k;
                    b.pack(k0, kc, p0, np, nr, bbuf);
                    for (int i = i0; i < i1; i++) {
                        int aOff = k0 * a.mPadded + i * kc * mr;
                        int rows = Math.min(mr, m - i * mr);
                        for (int p = 0; p < np; p++) {
                            int col0 = (p0 + p) * nr;
                            int cols = Math.min(nr, n - col0);
                            int bOff = p * kc * nr;
                            int co = cOff + i * mr * ldc + col0;
                            if (rows == mr && cols == nr) {
                                mk.tile(a.data, aOff, bbuf, bOff, kc, c, co, ldc, !first, paddedBias, i * mr,
                                        last, lo, hi);
                            } else {
                                if (!first) {
                                    for (int r = 0; r < rows; r++) {
                                        System.arraycopy(c, co + r * ldc, tile, r * nr, cols);
                                    }
                                }
                                mk.tile(a.data, aOff, bbuf, bOff, kc, tile, 0, nr, !first, paddedBias, i * mr,
                                        last, lo, hi);
                                for (int r = 0; r < rows; r++) {
                                    System.arraycopy(tile, r * nr, c, co + r * ldc, cols);
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    private float[][] scratch() {
        float[][] s = SCRATCH.get();
        int need = KC * NCP * nr;
        if (s == null || s[0].length < need || s[1].length < mr * nr) {
            s = new float[][] {new float[need], new float[mr * nr]};
            SCRATCH.set(s);
        }
        return s;
    }
}
