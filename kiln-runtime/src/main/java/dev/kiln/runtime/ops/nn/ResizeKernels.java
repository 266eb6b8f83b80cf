package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.ExecContext;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Evaluates a resize described by one {@link ResizeAxis} per axis. The output is walked row by row
 * (a row is the innermost axis): for each row the taps of the outer axes are combined into a short
 * list of (input offset, weight) pairs, and the innermost axis is then a small dot product per
 * output, with no bounds checks. Rows run in parallel.
 *
 * <p>Values are accumulated in float32 as ONNX Runtime does (double for double and 64-bit types)
 * and stored rounded: half types to nearest, integer types truncated toward zero (or, for the
 * antialias passes, rounded half up / half away from zero as its fixed-point and int32 paths do),
 * saturating.
 */
final class ResizeKernels {
    private ResizeKernels() {
    }

    /** How an interpolated value becomes an integer. */
    enum IntRounding { TRUNCATE, HALF_UP, HALF_AWAY }

    /** Nearest neighbour: copies input elements, exactly, for any element type. */
    static Tensor nearest(Tensor x, ResizeAxis[] axes, int[] outShape, float extrapolation, ExecContext ec) {
        Tensor y = Tensor.allocate(x.dtype(), outShape);
        Object src = x.data();
        Object dst = y.data();
        Rows rows = new Rows(x.shape(), axes, outShape);
        ResizeAxis inner = axes[axes.length - 1];
        int n = rows.inner;
        ec.parallel().forRange(rows.count, rows.grain(), (from, to) -> {
            int[] off = new int[1];
            float[] w = new float[1];
            boolean[] extra = new boolean[1];
            for (int q = from; q < to; q++) {
                rows.pairs(q, off, w, extra);
                copyRow(src, dst, q * n, off[0], inner.index, n);
            }
        });
        if (rows.anyExtrapolation) {
            boolean[] extraRow = new boolean[1];
            for (int q = 0; q < rows.count; q++) {
                rows.pairs(q, new int[1], new float[1], extraRow);
                for (int i = 0; i < n; i++) {
                    if (extraRow[0] || inner.extrapolate[i]) {
                        y.setDouble(q * n + i, extrapolation);
                    }
                }
            }
        }
        return y;
    }

    private static void copyRow(Object src, Object dst, int o, int base, int[] ix, int n) {
        if (src instanceof float[]) {
            float[] s = (float[]) src, d = (float[]) dst;
            for (int i = 0; i < n; i++) d[o + i] = s[base + ix[i]];
        } else if (src instanceof double[]) {
            double[] s = (double[]) src, d = (double[]) dst;
            for (int i = 0; i < n; i++) d[o + i] = s[base + ix[i]];
        } else if (src instanceof byte[]) {
            byte[] s = (byte[]) src, d = (byte[]) dst;
            for (int i = 0; i < n; i++) d[o + i] = s[base + ix[i]];
        } else if (src instanceof short[]) {
            short[] s = (short[]) src, d = (short[]) dst;
            for (int i = 0; i < n; i++) d[o + i] = s[base + ix[i]];
        } else if (src instanceof int[]) {
            int[] s = (int[]) src, d = (int[]) dst;
            for (int i = 0; i < n; i++) d[o + i] = s[base + ix[i]];
        } else {
            long[] s = (long[]) src, d = (long[]) dst;
            for (int i = 0; i < n; i++) d[o + i] = s[base + ix[i]];
        }
    }

    /** Weighted sum over the taps of every axis at once (linear, cubic). */
    static Tensor interpolate(Tensor x, ResizeAxis[] axes, int[] outShape, float extrapolation, IntRounding rounding,
                              ExecContext ec) {
        Rows rows = new Rows(x.shape(), axes, outShape);
        ResizeAxis inner = axes[axes.length - 1];
        int n = rows.inner;
        int taps = inner.taps;
        int[] ix = inner.index;
        float[] wx = inner.weight;
        boolean[] ex = inner.extrapolate;
        DType t = x.dtype();
        if (computesInFloat(t, rounding)) {
            float[] xs = t.isFloatStorage() ? x.floats() : x.toFloatArray();
            float[] ys = new float[rows.count * n];
            ec.parallel().forRange(rows.count, rows.grain(), (from, to) -> {
                int[] off = new int[rows.maxPairs];
                float[] w = new float[rows.maxPairs];
                boolean[] extra = new boolean[1];
                for (int q = from; q < to; q++) {
                    int pairs = rows.pairs(q, off, w, extra);
                    int o = q * n;
                    for (int p = 0; p < pairs; p++) {
                        addRow(xs, off[p], w[p], ix, wx, taps, ys, o, n);
                    }
                    if (extra[0]) {
                        java.util.Arrays.fill(ys, o, o + n, extrapolation);
                    } else if (rows.anyExtrapolation) {
                        for (int i = 0; i < n; i++) {
                            if (ex[i]) ys[o + i] = extrapolation;
                        }
                    }
                }
            });
            if (t == DType.FLOAT) {
                return Tensor.wrap(t, outShape, ys);
            }
            if (t.isFloatStorage()) {
                return PoolKernels.fromFloats(t, ys, outShape);
            }
            Tensor y = Tensor.allocate(t, outShape);
            for (int i = 0; i < ys.length; i++) {
                storeInteger(y, i, ys[i], rounding);
            }
            return y;
        }
        double[] xs = doublesOf(x);
        Tensor y = Tensor.allocate(t, outShape);
        double[] ys = t == DType.DOUBLE ? y.doubles() : new double[rows.count * n];
        ec.parallel().forRange(rows.count, rows.grain(), (from, to) -> {
            int[] off = new int[rows.maxPairs];
            float[] w = new float[rows.maxPairs];
            boolean[] extra = new boolean[1];
            for (int q = from; q < to; q++) {
                int pairs = rows.pairs(q, off, w, extra);
                int o = q * n;
                for (int i = 0; i < n; i++) {
                    if (extra[0] || ex[i]) {
                        ys[o + i] = extrapolation;
                        continue;
                    }
                    double acc = 0;
                    for (int p = 0; p < pairs; p++) {
                        int b = off[p];
                        double s = 0;
                        for (int k = i * taps, e = k + taps; k < e; k++) s += wx[k] * xs[b + ix[k]];
                        acc += w[p] * s;
                    }
                    ys[o + i] = acc;
                }
            }
        });
        if (t != DType.DOUBLE) {
            for (int i = 0; i < ys.length; i++) {
                storeInteger(y, i, ys[i], rounding);
            }
        }
        return y;
    }

    /** Adds {@code wp} times the innermost-axis interpolation of the input row at {@code b} to y[o..o+n). */
    private static void addRow(float[] xs, int b, float wp, int[] ix, float[] wx, int taps, float[] ys, int o, int n) {
        switch (taps) {
            case 1:
                for (int i = 0; i < n; i++) {
                    ys[o + i] += wp * (wx[i] * xs[b + ix[i]]);
                }
                break;
            case 2:
                for (int i = 0, k = 0; i < n; i++, k += 2) {
                    ys[o + i] += wp * (wx[k] * xs[b + ix[k]] + wx[k + 1] * xs[b + ix[k + 1]]);
                }
                break;
            case 4:
                for (int i = 0, k = 0; i < n; i++, k += 4) {
                    ys[o + i] += wp * (wx[k] * xs[b + ix[k]] + wx[k + 1] * xs[b + ix[k + 1]]
                            + wx[k + 2] * xs[b + ix[k + 2]] + wx[k + 3] * xs[b + ix[k + 3]]);
                }
                break;
            default:
                for (int i = 0, k = 0; i < n; i++) {
                    float s = 0;
                    for (int e = k + taps; k < e; k++) s += wx[k] * xs[b + ix[k]];
                    ys[o + i] += wp * s;
                }
        }
    }

    /** One axis at a time, innermost first, each pass stored in the element type (antialias). */
    static Tensor separable(Tensor x, ResizeAxis[] axes, int[] outShape, float extrapolation, IntRounding rounding,
                            ExecContext ec) {
        Tensor cur = x;
        int[] shape = x.shape().clone();
        for (int a = axes.length - 1; a >= 0; a--) {
            if (axes[a].isIdentity()) {
                continue;
            }
            ResizeAxis[] one = new ResizeAxis[axes.length];
            for (int b = 0; b < axes.length; b++) {
                one[b] = b == a ? axes[a] : ResizeAxis.identity(shape[b]);
            }
            shape[a] = outShape[a];
            cur = interpolate(cur, one, shape.clone(), extrapolation, rounding, ec);
        }
        return cur;
    }

    /**
     * Whether a type is interpolated in float32 as ONNX Runtime does; double, the 64-bit and
     * unsigned 32-bit integers (which it does not resize) and the exact fixed-point emulation of
     * its 8-bit antialias path use double.
     */
    private static boolean computesInFloat(DType t, IntRounding rounding) {
        switch (t) {
            case FLOAT: case FLOAT16: case BFLOAT16: case INT16: case UINT16: case INT32:
                return true;
            case INT8: case UINT8:
                return rounding != IntRounding.HALF_UP;
            default:
                return false;
        }
    }

    private static double[] doublesOf(Tensor x) {
        if (x.dtype() == DType.DOUBLE) {
            return x.doubles();
        }
        double[] d = new double[x.size()];
        for (int i = 0; i < d.length; i++) d[i] = x.getDouble(i);
        return d;
    }

    private static void storeInteger(Tensor y, int i, double v, IntRounding rounding) {
        if (v != v) {
            y.setLong(i, 0);
            return;
        }
        double r;
        switch (rounding) {
            case HALF_UP: r = Math.floor(v + 0.5); break;
            case HALF_AWAY: r = v >= 0 ? Math.floor(v + 0.5) : -Math.floor(-v + 0.5); break;
            default: r = v >= 0 ? Math.floor(v) : Math.ceil(v);
        }
        double lo;
        double hi;
        switch (y.dtype()) {
            case INT8: lo = -128; hi = 127; break;
            case UINT8: lo = 0; hi = 255; break;
            case INT16: lo = -32768; hi = 32767; break;
            case UINT16: lo = 0; hi = 65535; break;
            case INT32: lo = Integer.MIN_VALUE; hi = Integer.MAX_VALUE; break;
            case UINT32: lo = 0; hi = 4294967295.0; break;
            case UINT64: lo = 0; hi = 0x1p64; break;
            default: lo = -0x1p63; hi = 0x1p63; break;
        }
        y.setDouble(i, Math.max(lo, Math.min(hi, r)));
    }

    /**
     * The output as rows of the innermost axis; row q's outer taps combine into (offset, weight)
     * pairs, the product over outer axes of their taps.
     */
    private static final class Rows {
        final ResizeAxis[] axes;
        final int[] outShape;
        final int[] strides;
        final int count;
        final int inner;
        final int maxPairs;
        final boolean anyExtrapolation;

        Rows(int[] inShape, ResizeAxis[] axes, int[] outShape) {
            this.axes = axes;
            this.outShape = outShape;
            int r = inShape.length;
            strides = new int[r];
            int s = 1;
            for (int a = r - 1; a >= 0; a--) {
                strides[a] = s;
                s *= inShape[a];
            }
            int c = 1;
            int m = 1;
            boolean any = false;
            for (int a = 0; a < r; a++) {
                for (boolean b : axes[a].extrapolate) any |= b;
                if (a < r - 1) {
                    c *= outShape[a];
                    m *= axes[a].taps;
                }
            }
            count = r == 0 ? 0 : c;
            inner = r == 0 ? 0 : outShape[r - 1];
            maxPairs = m;
            anyExtrapolation = any;
        }

        int grain() {
            long work = (long) Math.max(1, inner) * maxPairs * axes[axes.length - 1].taps;
            return (int) Math.max(1, (1 << 15) / work);
        }

        /** Fills the pairs of row q; returns their number; extra[0] tells whether the row extrapolates. */
        int pairs(int q, int[] off, float[] w, boolean[] extra) {
            int n = 1;
            off[0] = 0;
            w[0] = 1;
            extra[0] = false;
            int rem = q;
            for (int a = axes.length - 2; a >= 0; a--) {
                int o = rem % outShape[a];
                rem /= outShape[a];
                ResizeAxis ax = axes[a];
                extra[0] |= ax.extrapolate[o];
                int t = ax.taps;
                if (t == 1) {
                    int add = ax.index[o] * strides[a];
                    float f = ax.weight[o];
                    for (int p = 0; p < n; p++) {
                        off[p] += add;
                        w[p] *= f;
                    }
                    continue;
                }
                for (int p = n - 1; p >= 0; p--) {
                    int b = off[p];
                    float v = w[p];
                    for (int k = 0; k < t; k++) {
                        off[p * t + k] = b + ax.index[o * t + k] * strides[a];
                        w[p * t + k] = v * ax.weight[o * t + k];
                    }
                }
                n *= t;
            }
            return n;
        }
    }
}
