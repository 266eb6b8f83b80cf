package dev.kiln.core.quant;

import java.util.Arrays;

/**
 * A 2048-bin histogram of |x| over [0, R) whose range R is always a power of two. When a value
 * at or above R arrives, R doubles (as often as needed) and each pair of neighbouring bins becomes
 * one bin; no count is ever split, so rebinning is exact.
 *
 * <p>Why powers of two: the bin of a value, {@code floor(|x| * 2048 / R)}, is computed exactly (the
 * factor is a power of two), and the bin it lands in at range R, halved k times, is the bin it
 * would have landed in at range {@code 2^k R}. So the final histogram depends only on the multiset
 * of values seen and not on their order, and two histograms merge exactly by bringing the smaller
 * range up to the larger. Calibration results are therefore independent of how samples were split
 * among threads. The cost is resolution: the largest value lies in bin 1024 to 2047, so between
 * 1024 and 2048 bins cover [0, max].
 *
 * <p>Non-finite values (NaN, infinities) are not counted here.
 */
public final class AbsHistogram {
    public static final int BINS = 2048;
    private static final int LOG2_BINS = 11;
    /** Exponent meaning "no non-zero value seen yet" (zeros are in bin 0 at any range). */
    private static final int UNSET = Integer.MIN_VALUE;

    private final long[] counts = new long[BINS];
    private int exponent = UNSET;
    private long total;

    /** The range R = 2^exponent, or 0 while every value seen was zero. */
    public double range() {
        return exponent == UNSET ? 0 : Math.scalb(1.0, exponent);
    }

    /** The width of one bin (0 while the range is 0). */
    public double binWidth() {
        return exponent == UNSET ? 0 : Math.scalb(1.0, exponent - LOG2_BINS);
    }

    /** Values counted. */
    public long total() {
        return total;
    }

    public long count(int bin) {
        return counts[bin];
    }

    /** A copy of the counts. */
    public long[] counts() {
        return counts.clone();
    }

    /** Makes the range cover values up to {@code absMax} (a finite, non-negative value). */
    public void cover(double absMax) {
        if (absMax > 0) {
            growTo(Math.getExponent(absMax) + 1);
        }
    }

    private void growTo(int e) {
        if (exponent == UNSET) {
            exponent = e;
            return;
        }
        int shift = e - exponent;
        if (shift <= 0) {
            return;
        }
        for (int i = 1; i < BINS; i++) {
            long v = counts[i];
            if (v != 0) {
                counts[i] = 0;
                counts[shift >= LOG2_BINS ? 0 : i >> shift] += v;
            }
        }
        exponent = e;
    }

    /**
     * Counts |x| of {@code data[0..n)}. {@code absMax} must be at least the largest finite |x|
     * among them (the range grows to cover it first); non-finite values are skipped.
     *
     * @return the number of values counted (the finite ones)
     */
    public long add(float[] data, int n, double absMax) {
        cover(absMax);
        long added = 0;
        if (exponent == UNSET) {
            for (int i = 0; i < n; i++) {
                if (data[i] == 0f) {
                    added++;
                }
            }
            counts[0] += added;
        } else if (exponent > -100 && exponent < 128) {
            // float arithmetic is exact here too: the factor is a power of two within float range
            float limit = (float) range();
            float scale = (float) Math.scalb(1.0, LOG2_BINS - exponent);
            long[] c = counts;
            for (int i = 0; i < n; i++) {
                float a = Math.abs(data[i]);
                if (a < limit) {
                    c[(int) (a * scale)]++;
                    added++;
                }
            }
        } else {
            double limit = range();
            double scale = Math.scalb(1.0, LOG2_BINS - exponent);
            for (int i = 0; i < n; i++) {
                double a = Math.abs((double) data[i]);
                if (a < limit) {
                    counts[(int) (a * scale)]++;
                    added++;
                }
            }
        }
        total += added;
        return added;
    }

    /** Adds another histogram's counts (exact: the smaller range is first rebinned to the larger). */
    public void merge(AbsHistogram other) {
        if (other.exponent != UNSET) {
            growTo(other.exponent);
        }
        int shift = exponent == UNSET || other.exponent == UNSET ? 0 : exponent - other.exponent;
        for (int i = 0; i < BINS; i++) {
            long v = other.counts[i];
            if (v != 0) {
                counts[shift >= LOG2_BINS ? 0 : i >> shift] += v;
            }
        }
        total += other.total;
    }

    /**
     * The q-quantile of |x| (0 < q <= 1): the bin where the cumulative count reaches q * total,
     * interpolated linearly inside it. Exact to within one bin width. 0 for an empty histogram.
     */
    public double quantile(double q) {
        if (total == 0 || exponent == UNSET) {
            return 0;
        }
        double target = q * total;
        double width = binWidth();
        long cum = 0;
        for (int b = 0; b < BINS; b++) {
            long c = counts[b];
            if (c > 0 && cum + c >= target) {
                double frac = Math.max(0, (target - cum) / c);
                return (b + Math.min(1, frac)) * width;
            }
            cum += c;
        }
        return range();
    }

    /** Index of the last non-empty bin, or -1 when empty. */
    public int lastNonEmptyBin() {
        for (int b = BINS - 1; b >= 0; b--) {
            if (counts[b] != 0) {
                return b;
            }
        }
        return -1;
    }

    /** Bytes of the arrays this histogram holds. */
    long retainedBytes() {
        return 16L + 8L * counts.length + 24;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AbsHistogram && ((AbsHistogram) o).exponent == exponent
                && ((AbsHistogram) o).total == total && Arrays.equals(((AbsHistogram) o).counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts) * 31 + exponent;
    }
}
