package dev.kiln.core.quant;

/**
 * max_percentile: the threshold is the q-quantile of |x| over all samples (0.99995 by default),
 * read from the histogram with linear interpolation inside the bin where the cumulative count
 * reaches q (so it is exact to within one bin, at most max|x| / 1024), and never above max|x|.
 */
public final class MaxPercentileCalibrator implements ThresholdCalibrator {
    /** The percentile the default calibration tries. */
    public static final double DEFAULT_PERCENTILE = 0.99995;

    private final double percentile;

    public MaxPercentileCalibrator(double percentile) {
        if (!(percentile > 0 && percentile <= 1)) {
            throw new IllegalArgumentException("percentile must be in (0, 1], found " + percentile);
        }
        this.percentile = percentile;
    }

    public MaxPercentileCalibrator() {
        this(DEFAULT_PERCENTILE);
    }

    @Override
    public String method() {
        return "max_percentile " + ThresholdCalibrator.percentileText(percentile);
    }

    @Override
    public float threshold(TensorStats stats) {
        return quantile(stats, percentile);
    }

    static float quantile(TensorStats stats, double q) {
        float absMax = stats.absMax();
        if (q >= 1) {
            return absMax;
        }
        return (float) Math.min(absMax, stats.histogram().quantile(q));
    }
}
