package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.norm.ReduceKernel.Kind;
import dev.kiln.runtime.tensor.DType;

/**
 * The arithmetic of the Reduce* operators over a {@link Reduction} layout, one loop per storage
 * type. Output element {@code o} reduces the {@code count} elements starting at
 * {@code (o / inner) * count * inner + o % inner}, {@code inner} apart.
 */
final class ReduceKernels {
    private ReduceKernels() {
    }

    /** Elements of work handed to one parallel task at least. */
    private static final int GRAIN_ELEMENTS = 1 << 15;

    static int grain(int count) {
        return Math.max(1, GRAIN_ELEMENTS / Math.max(1, count));
    }

    static double[] floats(float[] x, Reduction r, Kind kind, ExecContext ec) {
        int count = r.count(), inner = r.inner();
        double[] res = new double[r.outputSize()];
        ec.parallel().forRange(res.length, grain(count), (from, to) -> {
            for (int o = from; o < to; o++) {
                int base = (o / inner) * count * inner + o % inner;
                res[o] = finish(kind, reduce(x, base, inner, count, kind), count);
            }
        });
        return res;
    }

    static double[] doubles(double[] x, Reduction r, Kind kind, ExecContext ec) {
        int count = r.count(), inner = r.inner();
        double[] res = new double[r.outputSize()];
        ec.parallel().forRange(res.length, grain(count), (from, to) -> {
            for (int o = from; o < to; o++) {
                int base = (o / inner) * count * inner + o % inner;
                res[o] = finish(kind, reduce(x, base, inner, count, kind), count);
            }
        });
        return res;
    }

    /** Integer reductions (Sum, Mean, Max, Min, Prod, L1, SumSquare) in long arithmetic. */
    static long[] longs(long[] x, Reduction r, Kind kind, DType t) {
        int count = r.count(), inner = r.inner();
        long[] res = new long[r.outputSize()];
        boolean unsigned64 = t == DType.UINT64;
        for (int o = 0; o < res.length; o++) {
            int base = (o / inner) * count * inner + o % inner;
            long acc;
            switch (kind) {
                case MAX: {
                    acc = minValue(t);
                    for (int k = 0, i = base; k < count; k++, i += inner) {
                        long v = x[i];
                        if (unsigned64 ? Long.compareUnsigned(v, acc) > 0 : v > acc) acc = v;
                    }
                    break;
                }
                case MIN: {
                    acc = maxValue(t);
                    for (int k = 0, i = base; k < count; k++, i += inner) {
                        long v = x[i];
                        if (unsigned64 ? Long.compareUnsigned(v, acc) < 0 : v < acc) acc = v;
                    }
                    break;
                }
                case PROD: {
                    acc = 1;
                    for (int k = 0, i = base; k < count; k++, i += inner) acc *= x[i];
                    break;
                }
                case L1: {
                    acc = 0;
                    for (int k = 0, i = base; k < count; k++, i += inner) acc += Math.abs(x[i]);
                    break;
                }
                case SUM_SQUARE: {
                    acc = 0;
                    for (int k = 0, i = base; k < count; k++, i += inner) acc += x[i] * x[i];
                    break;
                }
                case SUM: case MEAN: {
                    acc = 0;
                    for (int k = 0, i = base; k < count; k++, i += inner) acc += x[i];
                    if (kind == Kind.MEAN && count > 0) {
                        acc = unsigned64 ? Long.divideUnsigned(acc, count) : acc / count;
                    }
                    break;
                }
                default:
                    throw new IllegalStateException("no integer kernel for " + kind);
            }
            res[o] = acc;
        }
        return res;
    }

    private static long minValue(DType t) {
        switch (t) {
            case INT8: return Byte.MIN_VALUE;
            case INT16: return Short.MIN_VALUE;
            case INT32: return Integer.MIN_VALUE;
            case INT64: return Long.MIN_VALUE;
            default: return 0; // unsigned types and bool
        }
    }

    private static long maxValue(DType t) {
        switch (t) {
            case INT8: return Byte.MAX_VALUE;
            case UINT8: return 0xff;
            case BOOL: return 1;
            case INT16: return Short.MAX_VALUE;
            case UINT16: return 0xffff;
            case INT32: return Integer.MAX_VALUE;
            case UINT32: return 0xffffffffL;
            case INT64: return Long.MAX_VALUE;
            default: return -1L; // UINT64 all ones
        }
    }

    /** Turns the accumulated value into the result (mean, root, log). */
    static double finish(Kind kind, double acc, int count) {
        switch (kind) {
            case MEAN: return acc / count;
            case L2: return Math.sqrt(acc);
            case LOG_SUM: return Math.log(acc);
            default: return acc;
        }
    }

    /** The accumulated value over count float elements (before {@link #finish}). */
    static double reduce(float[] x, int base, int stride, int count, Kind kind) {
        switch (kind) {
            case SUM: case MEAN: case LOG_SUM: {
                if (stride == 1) {
                    return sum(x, base, count);
                }
                double s = 0;
                for (int k = 0, i = base; k < count; k++, i += stride) s += x[i];
                return s;
            }
            case L1: {
                double s = 0;
                for (int k = 0, i = base; k < count; k++, i += stride) s += Math.abs(x[i]);
                return s;
            }
            case L2: case SUM_SQUARE: {
                if (stride == 1) {
                    return sumSquares(x, base, count);
                }
                double s = 0;
                for (int k = 0, i = base; k < count; k++, i += stride) {
                    double v = x[i];
                    s += v * v;
                }
                return s;
            }
            case MAX: {
                // like ONNX Runtime: start from the first element, take strictly larger ones
                // (so a NaN is the result only when it comes first)
                if (count == 0) return Double.NEGATIVE_INFINITY;
                float m = x[base];
                for (int k = 1, i = base + stride; k < count; k++, i += stride) {
                    if (x[i] > m) m = x[i];
                }
                return m;
            }
            case MIN: {
                if (count == 0) return Double.POSITIVE_INFINITY;
                float m = x[base];
                for (int k = 1, i = base + stride; k < count; k++, i += stride) {
                    if (x[i] < m) m = x[i];
                }
                return m;
            }
            case PROD: {
                double p = 1;
                for (int k = 0, i = base; k < count; k++, i += stride) p *= x[i];
                return p;
            }
            case LOG_SUM_EXP: {
                double m = Double.NEGATIVE_INFINITY;
                for (int k = 0, i = base; k < count; k++, i += stride) m = Math.max(m, x[i]);
                if (Double.isInfinite(m)) {
                    return m;
                }
                double s = 0;
                for (int k = 0, i = base; k < count; k++, i += stride) s += Math.exp(x[i] - m);
                return m + Math.log(s);
            }
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    static double reduce(double[] x, int base, int stride, int count, Kind kind) {
        double acc;
        switch (kind) {
            case SUM: case MEAN: case LOG_SUM:
                acc = 0;
                for (int k = 0, i = base; k < count; k++, i += stride) acc += x[i];
                return acc;
            case L1:
                acc = 0;
                for (int k = 0, i = base; k < count; k++, i += stride) acc += Math.abs(x[i]);
                return acc;
            case L2: case SUM_SQUARE:
                acc = 0;
                for (int k = 0, i = base; k < count; k++, i += stride) acc += x[i] * x[i];
                return acc;
            case MAX:
                if (count == 0) return Double.NEGATIVE_INFINITY;
                acc = x[base];
                for (int k = 1, i = base + stride; k < count; k++, i += stride) {
                    if (x[i] > acc) acc = x[i];
                }
                return acc;
            case MIN:
                if (count == 0) return Double.POSITIVE_INFINITY;
                acc = x[base];
                for (int k = 1, i = base + stride; k < count; k++, i += stride) {
                    if (x[i] < acc) acc = x[i];
                }
                return acc;
            case PROD:
                acc = 1;
                for (int k = 0, i = base; k < count; k++, i += stride) acc *= x[i];
                return acc;
            case LOG_SUM_EXP: {
                double m = Double.NEGATIVE_INFINITY;
                for (int k = 0, i = base; k < count; k++, i += stride) m = Math.max(m, x[i]);
                if (Double.isInfinite(m)) {
                    return m;
                }
                double s = 0;
                for (int k = 0, i = base; k < count; k++, i += stride) s += Math.exp(x[i] - m);
                return m + Math.log(s);
            }
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /** Sum of a contiguous float run in double, four independent accumulators. */
    static double sum(float[] x, int from, int count) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from, end = from + count, end4 = from + (count & ~3);
        for (; i < end4; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < end; i++) s0 += x[i];
        return (s0 + s1) + (s2 + s3);
    }

    /** Sum of squares of a contiguous float run in double, four independent accumulators. */
    static double sumSquares(float[] x, int from, int count) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from, end = from + count, end4 = from + (count & ~3);
        for (; i < end4; i += 4) {
            double a = x[i], b = x[i + 1], c = x[i + 2], d = x[i + 3];
            s0 += a * a;
            s1 += b * b;
            s2 += c * c;
            s3 += d * d;
        }
        for (; i < end; i++) {
            double a = x[i];
            s0 += a * a;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Sum of squared deviations from mean of a contiguous float run, in double. */
    static double sumSquaredDeviations(float[] x, int from, int count, double mean) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from, end = from + count, end4 = from + (count & ~3);
        for (; i < end4; i += 4) {
            double a = x[i] - mean, b = x[i + 1] - mean, c = x[i + 2] - mean, d = x[i + 3] - mean;
            s0 += a * a;
            s1 += b * b;
            s2 += c * c;
            s3 += d * d;
        }
        for (; i < end; i++) {
            double a = x[i] - mean;
            s0 += a * a;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Mean and population variance (two passes, in double) of each of {@code rows} contiguous runs
     * of {@code count} floats: {@code result[0]} holds the means, {@code result[1]} the variances.
     */
    static double[][] moments(float[] x, int rows, int count, ExecContext ec) {
        double[] mean = new double[rows];
        double[] var = new double[rows];
        ec.parallel().forRange(rows, grain(2 * count), (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * count;
                double m = count == 0 ? Double.NaN : sum(x, base, count) / count;
                mean[r] = m;
                var[r] = count == 0 ? Double.NaN : sumSquaredDeviations(x, base, count, m) / count;
            }
        });
        return new double[][] {mean, var};
    }

    /** {@link #moments(float[], int, int, ExecContext)} for double values. */
    static double[][] moments(double[] x, int rows, int count) {
        double[] mean = new double[rows];
        double[] var = new double[rows];
        for (int r = 0; r < rows; r++) {
            int base = r * count;
            double s = 0;
            for (int i = 0; i < count; i++) s += x[base + i];
            double m = s / count;
            double q = 0;
            for (int i = 0; i < count; i++) {
                double d = x[base + i] - m;
                q += d * d;
            }
            mean[r] = m;
            var[r] = q / count;
        }
        return new double[][] {mean, var};
    }
}
