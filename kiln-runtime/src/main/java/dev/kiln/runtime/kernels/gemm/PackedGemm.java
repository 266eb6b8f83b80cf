package dev.kiln.runtime.kernels.gemm;

import dev.kiln.runtime.util.Parallel;

/**
 * Single-precision GEMM, C = A·B (+ bias per row of C, clamped to [lo, hi]), in the classic
 * packed-panel form: A is packed once into MR-row panels (weights are packed at model load), B is
 * packed per call in blocks of KC x (NCP·NR) by a {@link BPacker} (which may build convolution
 * columns on the fly; constant B packed once is read in place), and a register-blocked
 * {@link MicroKernel} computes each MR x NR tile.
 * Work is split over column blocks and, when those are few, row ranges too, so both cores work
 * even on the small spatial sizes of late CNN layers.
 */
public final class PackedGemm {
    /** Depth of one packed block of the shared dimension. */
    public static final int KC = Integer.getInteger("kiln.gemm.kc", 256);
    /** B panels per task: the A micro-panel is reused across them while it sits in L1. */
    private static final int NCP = Integer.getInteger("kiln.gemm.ncp", 4);

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
                int rows = Math.min(mr, m - i * mr);
                if (trans) {
                    // A's column kidx is a row of the stored matrix: MR consecutive values per step
                    for (int kk = 0; kk < kc; kk++) {
                        System.arraycopy(a, off + (k0 + kk) * lda + i * mr, d, base + kk * mr, rows);
                    }
                    continue;
                }
                for (int r = 0; r < rows; r++) {
                    int src = off + (i * mr + r) * lda + k0;
                    for (int kk = 0; kk < kc; kk++) {
                        d[base + kk * mr + r] = a[src + kk];
                    }
                }
            }
        }
        return new PackedA(d, m, k, mp, mr);
    }

    /**
     * Packs A = X^T where X (K x M) is supplied column panel by column panel by {@code columns}: the
     * packer's panels of MR columns are exactly A's MR-row panels. Used to put a convolution's
     * output positions on the rows when they are too few to fill B panels.
     */
    public PackedA packTransposed(BPacker columns, int m, int k, Parallel par) {
        int mp = (m + mr - 1) / mr * mr;
        float[] d = new float[Math.max(1, mp * k)];
        int panels = mp / mr;
        int blocks = (k + KC - 1) / KC;
        par.forRange(panels * blocks, 4, (from, to) -> {
            float[] panel = new float[KC * mr];
            for (int t = from; t < to; t++) {
                int kb = t / panels;
                int i = t - kb * panels;
                int k0 = kb * KC;
                int kc = Math.min(KC, k - k0);
                columns.pack(k0, kc, i, 1, mr, panel);
                System.arraycopy(panel, 0, d, k0 * mp + i * kc * mr, kc * mr);
            }
        });
        return new PackedA(d, m, k, mp, mr);
    }

    /** B packed once (weights): per KC block, per NR-column panel, kc groups of NR values. */
    public static final class PackedB implements BPacker {
        final float[] data;
        final int k;
        final int n;
        final int nPadded;
        final int nr;

        PackedB(float[] data, int k, int n, int nPadded, int nr) {
            this.data = data;
            this.k = k;
            this.n = n;
            this.nPadded = nPadded;
            this.nr = nr;
        }

        public int columns() {
            return n;
        }

        @Override
        public void pack(int k0, int kc, int p0, int np, int panelWidth, float[] dst) {
            if (panelWidth != nr) {
                throw new IllegalArgumentException("B was packed for panels of " + nr + " columns");
            }
            System.arraycopy(data, k0 * nPadded + p0 * kc * nr, dst, 0, np * kc * nr);
        }
    }

    /** Packs B (K x N at {@code b[off]}, row stride ldb), or B's transpose when trans (B stored N x K). */
    public PackedB packB(float[] b, int off, int ldb, int k, int n, boolean trans) {
        int np = (n + nr - 1) / nr * nr;
        float[] d = new float[Math.max(1, np * k)];
        MatrixB src = new MatrixB(b, off, ldb, n, trans);
        int panels = np / nr;
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            float[] tmp = new float[panels * kc * nr];
            src.pack(k0, kc, 0, panels, nr, tmp);
            System.arraycopy(tmp, 0, d, k0 * np, tmp.length);
        }
        return new PackedB(d, k, n, np, nr);
    }

    /** Fraction of computed tile area that is useful for an M x N product on this kernel. */
    public double efficiency(int m, int n) {
        double em = (double) m / ((m + mr - 1) / mr * mr);
        double en = (double) n / ((n + nr - 1) / nr * nr);
        return em * en;
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
        final PackedB prepacked = b instanceof PackedB && ((PackedB) b).nr == nr ? (PackedB) b : null;
        int mPanels = (m + mr - 1) / mr;
        int nPanels = (n + nr - 1) / nr;
        int threads = par.threads();
        // split the columns first (each B panel then packed or read once, by one thread); the
        // rows too only when the column panels are too few for the threads
        int ncp = NCP;
        if (threads > 1 && nPanels < 2 * threads * NCP) {
            ncp = Math.max(1, nPanels / (2 * threads));
        }
        int blockPanels = ncp;
        int nBlocks = (nPanels + ncp - 1) / ncp;
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
                int p0 = nb * blockPanels;
                int np = Math.min(blockPanels, nPanels - p0);
                int i0 = (int) ((long) mc * mPanels / chunks);
                int i1 = (int) ((long) (mc + 1) * mPanels / chunks);
                for (int k0 = 0; k0 < k; k0 += KC) {
                    int kc = Math.min(KC, k - k0);
                    boolean first = k0 == 0;
                    boolean last = k0 + kc >= k;
                    float[] bsrc;
                    int bBase;
                    if (prepacked != null) {
                        // weights packed at load: read the panels in place
                        bsrc = prepacked.data;
                        bBase = k0 * prepacked.nPadded + p0 * kc * nr;
                    } else {
                        // contiguous, aligned panels: faster to stream than rows read in place,
                        // and packed once for all the row panels of A
                        b.pack(k0, kc, p0, np, nr, bbuf);
                        bsrc = bbuf;
                        bBase = 0;
                    }
                    for (int i = i0; i < i1; i++) {
                        int aOff = k0 * a.mPadded + i * kc * mr;
                        int mrows = Math.min(mr, m - i * mr);
                        for (int p = 0; p < np; p++) {
                            int col0 = (p0 + p) * nr;
                            int cols = Math.min(nr, n - col0);
                            int bOff = bBase + p * kc * nr;
                            int co = cOff + i * mr * ldc + col0;
                            if (mrows == mr && cols == nr) {
                                mk.tile(a.data, aOff, bsrc, bOff, kc, c, co, ldc, !first, paddedBias, i * mr,
                                        last, lo, hi);
                            } else {
                                if (!first) {
                                    for (int r = 0; r < mrows; r++) {
                                        System.arraycopy(c, co + r * ldc, tile, r * nr, cols);
                                    }
                                }
                                mk.tile(a.data, aOff, bsrc, bOff, kc, tile, 0, nr, !first, paddedBias, i * mr,
                                        last, lo, hi);
                                for (int r = 0; r < mrows; r++) {
                                    System.arraycopy(tile, r * nr, c, co + r * ldc, cols);
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * C = A·B for one packed column panel of B: K x NR values, k-major ({@code b[bOff + k*NR + j]}),
     * serially. C (row stride ldc) must have room for A's rows rounded up to whole MR panels; the
     * rows past A's are written with garbage. Blocks of B's panel stay in L1 while A's row panels
     * stream past them.
     */
    public void multiplyPanel(PackedA a, float[] b, int bOff, float[] c, int cOff, int ldc) {
        if (a.mr != mr) {
            throw new IllegalArgumentException("A was packed for a different kernel");
        }
        int k = a.k;
        if (k == 0) {
            for (int i = 0; i < a.mPadded; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + nr, 0f);
            }
            return;
        }
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            for (int i = 0; i * mr < a.m; i++) {
                mk.tile(a.data, k0 * a.mPadded + i * kc * mr, b, bOff + k0 * nr, kc, c, cOff + i * mr * ldc, ldc,
                        k0 > 0, null, 0, false, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
            }
        }
    }

    /** Rows of A rounded up to whole MR panels: the rows {@link #multiplyPanel} writes. */
    public static int paddedRows(PackedA a) {
        return a.mPadded;
    }

    public int nr() {
        return nr;
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
