package dev.kiln.core.quant;

/**
 * calibration_type kl: TensorRT's entropy calibration. The threshold is the one whose int8
 * quantization loses the least information about the distribution of |x|, measured by the
 * Kullback-Leibler divergence.
 *
 * <p>Algorithm, on the 2048-bin histogram of |x| ({@link AbsHistogram}, bin width w):
 * <ol>
 *   <li>The count of bin 0 is replaced by that of bin 1 (as NVIDIA's pytorch-quantization does):
 *       the exact zeros after a ReLU quantize without error at any threshold, and would otherwise
 *       dominate the divergence.</li>
 *   <li>For each candidate i = 128 .. max(128, last non-empty bin + 1) (i bins kept, threshold
 *       i·w): the reference distribution P is bins 0..i-1, with the counts of all bins from i up
 *       (the values the threshold clips) added to bin i-1. The candidate distribution Q maps bin k
 *       to level floor(128·k / i) of 128 levels (the int8 magnitudes), sums each level's counts
 *       and spreads the sum evenly over the level's non-empty bins (empty bins stay empty).</li>
 *   <li>Both are normalized; KL(P‖Q) = Σ P log(P/Q) over P > 0 (infinite where Q = 0 &lt; P, which
 *       happens when outliers land on an empty bin i-1).</li>
 *   <li>The candidate with the smallest divergence wins (the first one on ties); the threshold
 *       is the upper edge of its last bin, i·w, capped at max|x|.</li>
 * </ol>
 * Candidates that would clip more than 1 % of the values are not tried either: where a
 * distribution has no mass near zero (sigmoid outputs) every threshold below its bulk puts all of
 * it in the last bin, a divergence of zero that would wrongly win. Candidates beyond the last
 * non-empty bin + 1 are not tried: they keep every value and only
 * coarsen the levels. Each divergence is computed in O(128) from prefix sums (level sums and
 * non-empty counts), using KL = (Σ P log P)/T − log T + log U − (Σ P log Q)/T with T the total
 * count and U the count kept.
 */
public final class KlCalibrator implements ThresholdCalibrator {
    /** int8 magnitudes: the levels the kept range is quantized to. */
    static final int LEVELS = 128;
    /** The smallest candidate (in bins). */
    static final int START_BIN = 128;
    /** The largest fraction of the values a candidate threshold may clip. */
    static final double MAX_CLIPPED = 1e-2;

    @Override
    public String method() {
        return "kl";
    }

    @Override
    public float threshold(TensorStats stats) {
        AbsHistogram h = stats.histogram();
        int last = h.lastNonEmptyBin();
        if (last < 0 || h.binWidth() == 0) {
            return stats.absMax();
        }
        long[] counts = h.counts();
        int best = bestBinCount(counts, last);
        return (float) Math.min(stats.absMax(), best * h.binWidth());
    }

    /** The number of bins whose range gives the smallest divergence. */
    static int bestBinCount(long[] counts, int last) {
        int n = counts.length;
        double[] bins = new double[n];
        for (int k = 0; k < n; k++) {
            bins[k] = counts[k];
        }
        if (n > 1) {
            bins[0] = bins[1];
        }
        // prefix sums: count, non-empty bins, and count * log(count)
        double[] sum = new double[n + 1];
        int[] nonEmpty = new int[n + 1];
        double[] plogp = new double[n + 1];
        for (int k = 0; k < n; k++) {
            double b = bins[k];
            sum[k + 1] = sum[k] + b;
            nonEmpty[k + 1] = nonEmpty[k] + (b > 0 ? 1 : 0);
            plogp[k + 1] = plogp[k] + (b > 0 ? b * Math.log(b) : 0);
        }
        double total = sum[n];
        if (total <= 0) {
            return Math.min(n, last + 1);
        }
        int stop = Math.min(n, Math.max(START_BIN, last + 1));
        // Candidates clip at most MAX_CLIPPED of the values: a distribution with no mass near zero
        // (a sigmoid's outputs) would otherwise have zero divergence at thresholds below all of it.
        int first = Math.min(START_BIN, n);
        while (first < stop && total - sum[first] > MAX_CLIPPED * total) {
            first++;
        }
        int best = stop;
        double bestKl = Double.POSITIVE_INFINITY;
        for (int i = first; i <= stop; i++) {
            double kl = divergence(bins, sum, nonEmpty, plogp, total, i);
            if (kl < bestKl) {
                bestKl = kl;
                best = i;
            }
        }
        return best;
    }

    /** KL(P‖Q) of candidate i (see the class comment). */
    static double divergence(double[] bins, double[] sum, int[] nonEmpty, double[] plogp, double total, int i) {
        double outliers = total - sum[i];
        double lastBin = bins[i - 1];
        if (outliers > 0 && lastBin == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double kept = sum[i];
        if (kept <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double pLast = lastBin + outliers;
        double sumPLogP = plogp[i - 1] + (pLast > 0 ? pLast * Math.log(pLast) : 0);
        double sumPLogQ = 0;
        double qLast = 0;
        for (int j = 0; j < LEVELS; j++) {
            int a = (int) (((long) j * i + LEVELS - 1) / LEVELS);
            int b = (int) (((long) (j + 1) * i + LEVELS - 1) / LEVELS);
            double s = sum[b] - sum[a];
            int ne = nonEmpty[b] - nonEmpty[a];
            if (s > 0) {
                double q = s / ne;
                sumPLogQ += s * Math.log(q);
                if (j == LEVELS - 1) {
                    qLast = q;
                }
            }
        }
        if (outliers > 0) {
            sumPLogQ += outliers * Math.log(qLast);
        }
        return sumPLogP / total - Math.log(total) + Math.log(kept) - sumPLogQ / total;
    }
}
