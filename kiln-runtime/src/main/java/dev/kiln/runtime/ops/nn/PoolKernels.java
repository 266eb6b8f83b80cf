package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.kernels.pool.MaxPool2d;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * The reference loops of MaxPool, AveragePool and LpPool over one (n, c) plane at a time. One, two
 * and three spatial axes share one loop nest: the geometry is normalized to three axes by putting
 * size-1 axes in front. For each axis and output position the range of kernel taps that land inside
 * the input is computed once, so the inner loops carry no padding checks.
 */
final class PoolKernels {
    private PoolKernels() {
    }

    /** Window placement normalized to three spatial axes (axis 2 is the innermost). */
    static final class Windows {
        final int[] in = new int[3];
        final int[] out = new int[3];
        final int[] kernel = new int[3];
        final int[] dil = new int[3];
        /** Input position of tap 0 (may be negative), per axis and output index. */
        final int[][] start = new int[3][];
        /** First and one-past-last kernel tap inside the input, per axis and output index. */
        final int[][] lo = new int[3][];
        final int[][] hi = new int[3][];
        /** Taps counted by count_include_pad (padding included), per axis and output index. */
        final int[][] padded = new int[3][];
        final int inPlane;
        final int outPlane;
        final int taps;
        /** Clipped input rows per output row (2-D, no dilation), made on first use. */
        volatile MaxPool2d.Rows rows2d;

        void rows2d() {
            if (rows2d == null) {
                int[] lo = new int[out[1]];
                int[] hi = new int[out[1]];
                for (int o = 0; o < out[1]; o++) {
                    lo[o] = start[1][o] + this.lo[1][o];
                    hi[o] = start[1][o] + this.hi[1][o];
                }
                rows2d = new MaxPool2d.Rows(lo, hi);
            }
        }

        /**
         * @param paddedEnd per spatial axis, how far past the input count_include_pad counts taps
         *        (AveragePool from opset 19); null when the whole kernel counts
         */
        Windows(PoolGeometry g, PoolGeometry.Resolved r, int[] paddedEnd) {
            int shift = 3 - g.rank;
            int t = 1;
            for (int a = 0; a < 3; a++) {
                int s = a - shift;
                boolean real = s >= 0;
                in[a] = real ? r.in[s] : 1;
                out[a] = real ? r.out[s] : 1;
                kernel[a] = real ? g.kernel[s] : 1;
                dil[a] = real ? g.dilations[s] : 1;
                int stride = real ? g.strides[s] : 1;
                int pad = real ? r.padBegin[s] : 0;
                t *= kernel[a];
                start[a] = new int[out[a]];
                lo[a] = new int[out[a]];
                hi[a] = new int[out[a]];
                padded[a] = new int[out[a]];
                for (int o = 0; o < out[a]; o++) {
                    int b = o * stride - pad;
                    int d = dil[a];
                    int first = b >= 0 ? 0 : (-b + d - 1) / d;
                    int last = in[a] - b <= 0 ? 0 : Math.min(kernel[a], (in[a] - b + d - 1) / d);
                    start[a][o] = b;
                    lo[a][o] = first;
                    hi[a][o] = Math.max(first, last);
                    if (paddedEnd != null) {
                        int end = Math.min(b + kernel[a] * d, in[a] + (real ? paddedEnd[s] : 0));
                        padded[a][o] = end > b ? 1 + (end - b - 1) / d : 0;
                    } else {
                        padded[a][o] = kernel[a];
                    }
                }
            }
            inPlane = in[0] * in[1] * in[2];
            outPlane = out[0] * out[1] * out[2];
            taps = t;
        }

        /** Planes per parallel task so that each task does a useful amount of work. */
        int grain() {
            long work = (long) outPlane * taps + inPlane;
            return (int) Math.max(1, (1 << 16) / Math.max(1, work));
        }

        /** Flat index of a best position p (row-major within the plane) as the Indices output defines it. */
        long index(int plane, int p, boolean columnMajor) {
            if (p < 0) {
                return -1;
            }
            if (!columnMajor) {
                return (long) plane * inPlane + p;
            }
            int i2 = p % in[2];
            int i1 = (p / in[2]) % in[1];
            int i0 = p / (in[1] * in[2]);
            return (long) plane * inPlane + i0 + (long) i1 * in[0] + (long) i2 * in[0] * in[1];
        }
    }

    /**
     * Max over each window of plane {@code plane}; the first maximum wins, a NaN wins over numbers;
     * indices optional. A window with no tap inside the input gives -FLT_MAX.
     */
    static void max(float[] x, float[] y, long[] ind, int plane, boolean columnMajor, Windows w) {
        if (ind == null && w.in[0] == 1 && w.dil[1] == 1 && w.dil[2] == 1) {
            maxPlane2d(x, y, plane, w);
            return;
        }
        if (ind == null) {
            reduceByRows(x, y, plane, w, true, false);
            return;
        }
        int xo = plane * w.inPlane;
        int yo = plane * w.outPlane;
        int w1 = w.in[2];
        int w0 = w.in[1] * w1;
        int d0 = w.dil[0] * w0, d1 = w.dil[1] * w1, d2 = w.dil[2];
        for (int o0 = 0; o0 < w.out[0]; o0++) {
            int lo0 = w.lo[0][o0], hi0 = w.hi[0][o0], b0 = xo + w.start[0][o0] * w0;
            for (int o1 = 0; o1 < w.out[1]; o1++) {
                int lo1 = w.lo[1][o1], hi1 = w.hi[1][o1], b1 = b0 + w.start[1][o1] * w1;
                for (int o2 = 0; o2 < w.out[2]; o2++) {
                    int lo2 = w.lo[2][o2], hi2 = w.hi[2][o2], b2 = b1 + w.start[2][o2];
                    float m = -Float.MAX_VALUE;
                    int best = -1;
                    for (int k0 = lo0; k0 < hi0; k0++) {
                        for (int k1 = lo1; k1 < hi1; k1++) {
                            int row = b2 + k0 * d0 + k1 * d1;
                            for (int k2 = lo2; k2 < hi2; k2++) {
                                float v = x[row + k2 * d2];
                                if (best < 0 || v > m || v != v && m == m) {
                                    m = v;
                                    best = row + k2 * d2;
                                }
                            }
                        }
                    }
                    y[yo] = m;
                    if (ind != null) {
                        ind[yo] = w.index(plane, best - xo, columnMajor);
                    }
                    yo++;
                }
            }
        }
    }

    /** 2-D max pooling without dilation, the CNN case, on the runtime's row-buffer kernel. */
    private static void maxPlane2d(float[] x, float[] y, int plane, Windows w) {
        int h = w.in[1];
        int wd = w.in[2];
        int oh = w.out[1];
        int ow = w.out[2];
        int padL = Math.max(0, -w.start[2][0]);
        int stride = ow > 1 ? w.start[2][1] - w.start[2][0] : 1;
        w.rows2d();
        MaxPool2d.plane(x, plane * h * wd, h, wd, y, plane * oh * ow, oh, ow, w.rows2d, w.kernel[2], stride, padL,
                w.start[2][0] + padL);
    }

    /**
     * Max or average of plane {@code plane} computed by rows: for each output row, the input rows
     * under its window (the taps of the two outer axes) are reduced element-wise into one row, and
     * the windows of the innermost axis then slide along that row. Plain streaming loops instead of
     * a short loop nest per output.
     */
    private static void reduceByRows(float[] x, float[] y, int plane, Windows w, boolean max, boolean countPad) {
        int xo = plane * w.inPlane;
        int yo = plane * w.outPlane;
        int n = w.in[2];
        int w0 = w.in[1] * n;
        int d0 = w.dil[0] * w0, d1 = w.dil[1] * n, d2 = w.dil[2];
        float empty = max ? -Float.MAX_VALUE : 0f;
        float[] row = new float[n];
        for (int o0 = 0; o0 < w.out[0]; o0++) {
            int lo0 = w.lo[0][o0], hi0 = w.hi[0][o0], b0 = xo + w.start[0][o0] * w0;
            for (int o1 = 0; o1 < w.out[1]; o1++) {
                int lo1 = w.lo[1][o1], hi1 = w.hi[1][o1], b1 = b0 + w.start[1][o1] * n;
                if (hi0 <= lo0 || hi1 <= lo1) {
                    java.util.Arrays.fill(y, yo, yo + w.out[2], empty);
                    yo += w.out[2];
                    continue;
                }
                System.arraycopy(x, b1 + lo0 * d0 + lo1 * d1, row, 0, n);
                for (int k0 = lo0; k0 < hi0; k0++) {
                    for (int k1 = k0 == lo0 ? lo1 + 1 : lo1; k1 < hi1; k1++) {
                        int r = b1 + k0 * d0 + k1 * d1;
                        if (max) {
                            for (int i = 0; i < n; i++) row[i] = Math.max(row[i], x[r + i]);
                        } else {
                            for (int i = 0; i < n; i++) row[i] += x[r + i];
                        }
                    }
                }
                int rows = (hi0 - lo0) * (hi1 - lo1);
                int paddedRows = w.padded[0][o0] * w.padded[1][o1];
                for (int o2 = 0; o2 < w.out[2]; o2++) {
                    int lo2 = w.lo[2][o2], hi2 = w.hi[2][o2], s2 = w.start[2][o2];
                    if (hi2 <= lo2) {
                        y[yo++] = empty;
                        continue;
                    }
                    float m = row[s2 + lo2 * d2];
                    if (max) {
                        for (int k2 = lo2 + 1; k2 < hi2; k2++) m = Math.max(m, row[s2 + k2 * d2]);
                        y[yo++] = m;
                    } else {
                        for (int k2 = lo2 + 1; k2 < hi2; k2++) m += row[s2 + k2 * d2];
                        y[yo++] = m / (countPad ? paddedRows * w.padded[2][o2] : rows * (hi2 - lo2));
                    }
                }
            }
        }
    }

    /**
     * Max over each window of plane {@code plane} of 8-bit values (int8, or uint8 when
     * {@code unsigned}), computed by rows like {@link #reduceByRows}. The result equals the float
     * path's: the maximum is exact, and a window with no tap inside the input gives 0 (the float
     * path's -FLT_MAX stored into an 8-bit tensor).
     */
    static void max(byte[] x, byte[] y, int plane, boolean unsigned, Windows w) {
        int xo = plane * w.inPlane;
        int yo = plane * w.outPlane;
        int n = w.in[2];
        int w0 = w.in[1] * n;
        int d0 = w.dil[0] * w0, d1 = w.dil[1] * n, d2 = w.dil[2];
        // unsigned values compare as signed ones after flipping the sign bit
        int flip = unsigned ? 0x80 : 0;
        byte[] row = new byte[n];
        for (int o0 = 0; o0 < w.out[0]; o0++) {
            int lo0 = w.lo[0][o0], hi0 = w.hi[0][o0], b0 = xo + w.start[0][o0] * w0;
            for (int o1 = 0; o1 < w.out[1]; o1++) {
                int lo1 = w.lo[1][o1], hi1 = w.hi[1][o1], b1 = b0 + w.start[1][o1] * n;
                if (hi0 <= lo0 || hi1 <= lo1) {
                    java.util.Arrays.fill(y, yo, yo + w.out[2], (byte) 0);
                    yo += w.out[2];
                    continue;
                }
                int first = b1 + lo0 * d0 + lo1 * d1;
                for (int i = 0; i < n; i++) row[i] = (byte) (x[first + i] ^ flip);
                for (int k0 = lo0; k0 < hi0; k0++) {
                    for (int k1 = k0 == lo0 ? lo1 + 1 : lo1; k1 < hi1; k1++) {
                        int r = b1 + k0 * d0 + k1 * d1;
                        for (int i = 0; i < n; i++) row[i] = (byte) Math.max(row[i], (byte) (x[r + i] ^ flip));
                    }
                }
                for (int o2 = 0; o2 < w.out[2]; o2++) {
                    int lo2 = w.lo[2][o2], hi2 = w.hi[2][o2], s2 = w.start[2][o2];
                    if (hi2 <= lo2) {
                        y[yo++] = 0;
                        continue;
                    }
                    int m = row[s2 + lo2 * d2];
                    for (int k2 = lo2 + 1; k2 < hi2; k2++) m = Math.max(m, row[s2 + k2 * d2]);
                    y[yo++] = (byte) (m ^ flip);
                }
            }
        }
    }

    static void max(double[] x, double[] y, long[] ind, int plane, boolean columnMajor, Windows w) {
        int xo = plane * w.inPlane;
        int yo = plane * w.outPlane;
        int w1 = w.in[2];
        int w0 = w.in[1] * w1;
        int d0 = w.dil[0] * w0, d1 = w.dil[1] * w1, d2 = w.dil[2];
        for (int o0 = 0; o0 < w.out[0]; o0++) {
            int lo0 = w.lo[0][o0], hi0 = w.hi[0][o0], b0 = xo + w.start[0][o0] * w0;
            for (int o1 = 0; o1 < w.out[1]; o1++) {
                int lo1 = w.lo[1][o1], hi1 = w.hi[1][o1], b1 = b0 + w.start[1][o1] * w1;
                for (int o2 = 0; o2 < w.out[2]; o2++) {
                    int lo2 = w.lo[2][o2], hi2 = w.hi[2][o2], b2 = b1 + w.start[2][o2];
                    double m = -Double.MAX_VALUE;
                    int best = -1;
                    for (int k0 = lo0; k0 < hi0; k0++) {
                        for (int k1 = lo1; k1 < hi1; k1++) {
                            int row = b2 + k0 * d0 + k1 * d1;
                            for (int k2 = lo2; k2 < hi2; k2++) {
                                double v = x[row + k2 * d2];
                                if (best < 0 || v > m || v != v && m == m) {
                                    m = v;
                                    best = row + k2 * d2;
                                }
                            }
                        }
                    }
                    y[yo] = m;
                    if (ind != null) {
                        ind[yo] = w.index(plane, best - xo, columnMajor);
                    }
                    yo++;
                }
            }
        }
    }

    /**
     * Mean over each window: the sum of the taps inside the input divided by their number, or with
     * countPad by the padded count of {@link Windows#padded}. Windows with no tap inside give 0.
     * With {@code p > 0} computes LpPool instead: (sum |x|^p)^(1/p), with |x|^p in double and the
     * sum in float32 as ONNX Runtime does.
     */
    static void average(float[] x, float[] y, int plane, boolean countPad, int p, Windows w) {
        if (p == 0) {
            reduceByRows(x, y, plane, w, false, countPad);
            return;
        }
        int xo = plane * w.inPlane;
        int yo = plane * w.outPlane;
        int w1 = w.in[2];
        int w0 = w.in[1] * w1;
        int d0 = w.dil[0] * w0, d1 = w.dil[1] * w1, d2 = w.dil[2];
        double invP = 1.0f / p;
        for (int o0 = 0; o0 < w.out[0]; o0++) {
            int lo0 = w.lo[0][o0], hi0 = w.hi[0][o0], b0 = xo + w.start[0][o0] * w0;
            for (int o1 = 0; o1 < w.out[1]; o1++) {
                int lo1 = w.lo[1][o1], hi1 = w.hi[1][o1], b1 = b0 + w.start[1][o1] * w1;
                for (int o2 = 0; o2 < w.out[2]; o2++) {
                    int lo2 = w.lo[2][o2], hi2 = w.hi[2][o2], b2 = b1 + w.start[2][o2];
                    float s = 0;
                    for (int k0 = lo0; k0 < hi0; k0++) {
                        for (int k1 = lo1; k1 < hi1; k1++) {
                            int row = b2 + k0 * d0 + k1 * d1;
                            for (int k2 = lo2; k2 < hi2; k2++) s += (float) Math.pow(Math.abs(x[row + k2 * d2]), p);
                        }
                    }
                    y[yo++] = (float) Math.pow(s, invP);
                }
            }
        }
    }

    static void average(double[] x, double[] y, int plane, boolean countPad, int p, Windows w) {
        int xo = plane * w.inPlane;
        int yo = plane * w.outPlane;
        int w1 = w.in[2];
        int w0 = w.in[1] * w1;
        int d0 = w.dil[0] * w0, d1 = w.dil[1] * w1, d2 = w.dil[2];
        for (int o0 = 0; o0 < w.out[0]; o0++) {
            int lo0 = w.lo[0][o0], hi0 = w.hi[0][o0], b0 = xo + w.start[0][o0] * w0;
            for (int o1 = 0; o1 < w.out[1]; o1++) {
                int lo1 = w.lo[1][o1], hi1 = w.hi[1][o1], b1 = b0 + w.start[1][o1] * w1;
                for (int o2 = 0; o2 < w.out[2]; o2++) {
                    int lo2 = w.lo[2][o2], hi2 = w.hi[2][o2], b2 = b1 + w.start[2][o2];
                    double s = 0;
                    for (int k0 = lo0; k0 < hi0; k0++) {
                        for (int k1 = lo1; k1 < hi1; k1++) {
                            int row = b2 + k0 * d0 + k1 * d1;
                            if (p > 0) {
                                for (int k2 = lo2; k2 < hi2; k2++) s += Math.pow(Math.abs(x[row + k2 * d2]), p);
                            } else {
                                for (int k2 = lo2; k2 < hi2; k2++) s += x[row + k2 * d2];
                            }
                        }
                    }
                    if (p > 0) {
                        y[yo++] = Math.pow(s, 1.0 / p);
                        continue;
                    }
                    int n = countPad ? w.padded[0][o0] * w.padded[1][o1] * w.padded[2][o2]
                            : (hi0 - lo0) * (hi1 - lo1) * (hi2 - lo2);
                    y[yo++] = hi0 > lo0 && hi1 > lo1 && hi2 > lo2 ? s / n : 0.0;
                }
            }
        }
    }

    /** Input values as a float[] (shared for float-stored tensors, converted for 8-bit integers). */
    static float[] floatsOf(Tensor x) {
        return x.dtype().isFloatStorage() ? x.floats() : x.toFloatArray();
    }

    /** Wraps computed float values as a tensor of the given type (rounding half types, converting 8-bit). */
    static Tensor fromFloats(DType t, float[] v, int[] shape) {
        if (t == DType.FLOAT) {
            return Tensor.wrap(t, shape, v);
        }
        Tensor out = Tensor.allocate(t, shape);
        for (int i = 0; i < v.length; i++) {
            out.setDouble(i, v[i]);
        }
        return out;
    }
}
