package dev.kiln.core.quant;

import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThresholdCalibratorsTest {
    private static TensorStats stats(float[] values) {
        TensorStats s = new TensorStats("t", false);
        s.add(Tensor.of(values, values.length));
        return s;
    }

    private static float[] gaussianWithOutliers(long seed, int n, int outliers, float outlier) {
        Random r = new Random(seed);
        float[] v = new float[n + outliers];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < outliers; i++) {
            v[n + i] = (i % 2 == 0 ? 1 : -1) * outlier * (1 - i * 0.01f);
        }
        return v;
    }

    @Test
    void maxIsTheLargestMagnitude() {
        TensorStats s = stats(new float[] {-3.5f, 1f, 2f});
        assertEquals(3.5f, new MaxCalibrator().threshold(s));
        assertEquals("max", new MaxCalibrator().method());
        assertEquals("max_percentile 0.9", new MaxCalibrator(0.9).method());
    }

    @Test
    void maxWithAPercentileBelowOneClipsTheOutliers() {
        float[] v = gaussianWithOutliers(1, 100_000, 10, 50f);
        TensorStats s = stats(v);
        float clipped = new MaxCalibrator(0.999).threshold(s);
        // |N(0,1)| has its 0.999 quantile at 3.29
        assertEquals(3.29, clipped, 0.1);
        assertEquals(new MaxPercentileCalibrator(0.999).threshold(s), clipped);
    }

    @Test
    void percentileOfAUniformDistribution() {
        float[] v = new float[200_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 2 == 0 ? 1 : -1) * (i / (float) v.length) * 6f;
        }
        TensorStats s = stats(v);
        MaxPercentileCalibrator p = new MaxPercentileCalibrator();
        assertEquals("max_percentile 0.99995", p.method());
        assertEquals(0.99995 * 6, p.threshold(s), 6.0 / 1024);
        assertTrue(p.threshold(s) <= s.absMax());
        assertEquals(3.0, new MaxPercentileCalibrator(0.5).threshold(s), 6.0 / 1024);
    }

    @Test
    void klClipsAGaussiansOutliersWellBelowTheMax() {
        float[] v = gaussianWithOutliers(2, 200_000, 20, 40f);
        TensorStats s = stats(v);
        float t = new KlCalibrator().threshold(s);
        assertTrue(t > 2.5f && t < 8f, "kl threshold " + t);
        assertTrue(t < s.absMax() / 4, "kl threshold " + t + " vs max " + s.absMax());
    }

    @Test
    void klKeepsTheWholeRangeOfAUniformDistribution() {
        float[] v = new float[300_000];
        Random r = new Random(5);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1) * 5f;
        }
        TensorStats s = stats(v);
        float t = new KlCalibrator().threshold(s);
        assertTrue(t > 0.97f * s.absMax(), "kl threshold " + t + " vs max " + s.absMax());
        assertTrue(t <= s.absMax());
    }

    @Test
    void allZeroTensorsGetATinyPositiveThreshold() {
        TensorStats s = stats(new float[] {0, 0, -0f});
        for (ThresholdCalibrator c : new ThresholdCalibrator[] {new MaxCalibrator(), new MaxPercentileCalibrator(),
                new KlCalibrator()}) {
            assertEquals(ThresholdCalibrator.MIN_THRESHOLD, c.entry(s).threshold(), c.method());
        }
    }

    /** The divergence straight from the definition (the class comment's steps), for comparison. */
    private static double naiveDivergence(long[] counts, int i) {
        int n = counts.length;
        double[] bins = new double[n];
        for (int k = 0; k < n; k++) {
            bins[k] = counts[k];
        }
        bins[0] = bins[1];
        double[] p = new double[i];
        System.arraycopy(bins, 0, p, 0, i);
        for (int k = i; k < n; k++) {
            p[i - 1] += bins[k];
        }
        double[] levelSum = new double[KlCalibrator.LEVELS];
        int[] levelNonEmpty = new int[KlCalibrator.LEVELS];
        for (int k = 0; k < i; k++) {
            int level = (int) ((long) k * KlCalibrator.LEVELS / i);
            if (bins[k] != 0) {
                levelSum[level] += bins[k];
                levelNonEmpty[level]++;
            }
        }
        double[] q = new double[i];
        for (int k = 0; k < i; k++) {
            int level = (int) ((long) k * KlCalibrator.LEVELS / i);
            q[k] = bins[k] != 0 ? levelSum[level] / levelNonEmpty[level] : 0;
        }
        double sp = 0;
        double sq = 0;
        for (int k = 0; k < i; k++) {
            sp += p[k];
            sq += q[k];
        }
        double kl = 0;
        for (int k = 0; k < i; k++) {
            if (p[k] > 0) {
                if (q[k] == 0) {
                    return Double.POSITIVE_INFINITY;
                }
                kl += p[k] / sp * Math.log((p[k] / sp) / (q[k] / sq));
            }
        }
        return kl;
    }

    @Test
    void fastDivergenceEqualsTheDefinition() {
        Random r = new Random(11);
        for (int trial = 0; trial < 2; trial++) {
            long[] counts = new long[AbsHistogram.BINS];
            int last = 1200 + r.nextInt(800);
            for (int k = 0; k <= last; k++) {
                double x = k / (double) last;
                counts[k] = r.nextInt(10) == 0 ? 0 : (long) (10_000 * Math.exp(-x * x * (trial + 1) * 8)) + r.nextInt(3);
            }
            counts[last] = 1;
            double[] bins = new double[counts.length];
            for (int k = 0; k < counts.length; k++) {
                bins[k] = counts[k];
            }
            bins[0] = bins[1];
            double[] sum = new double[bins.length + 1];
            int[] nonEmpty = new int[bins.length + 1];
            double[] plogp = new double[bins.length + 1];
            for (int k = 0; k < bins.length; k++) {
                sum[k + 1] = sum[k] + bins[k];
                nonEmpty[k + 1] = nonEmpty[k] + (bins[k] > 0 ? 1 : 0);
                plogp[k + 1] = plogp[k] + (bins[k] > 0 ? bins[k] * Math.log(bins[k]) : 0);
            }
            int bestNaive = -1;
            double bestKl = Double.POSITIVE_INFINITY;
            for (int i = 128; i <= last + 1; i += 1) {
                double fast = KlCalibrator.divergence(bins, sum, nonEmpty, plogp, sum[bins.length], i);
                double naive = naiveDivergence(counts, i);
                if (Double.isInfinite(naive)) {
                    assertEquals(naive, fast, "candidate " + i);
                } else {
                    assertEquals(naive, fast, 1e-9 + 1e-9 * naive, "candidate " + i);
                }
                if (naive < bestKl) {
                    bestKl = naive;
                    bestNaive = i;
                }
            }
            assertEquals(bestNaive, KlCalibrator.bestBinCount(counts, last));
        }
    }
}
