package dev.kiln.core.quant;

/**
 * calibration_type max: the threshold is the largest |x| seen; with max_percentile below 1 it is
 * clipped to that quantile of |x| ({@link MaxPercentileCalibrator}).
 */
public final class MaxCalibrator implements ThresholdCalibrator {
    private final double maxPercentile;

    /** @param maxPercentile max_percentile in (0, 1]; 1 means the plain maximum */
    public MaxCalibrator(double maxPercentile) {
        if (!(maxPercentile > 0 && maxPercentile <= 1)) {
            throw new IllegalArgumentException("max_percentile must be in (0, 1], found " + maxPercentile);
        }
        this.maxPercentile = maxPercentile;
    }

    public MaxCalibrator() {
        this(1.0);
    }

    @Override
    public String method() {
        return maxPercentile >= 1 ? "max" : "max_percentile " + ThresholdCalibrator.percentileText(maxPercentile);
    }

    @Override
    public float threshold(TensorStats stats) {
        if (maxPercentile >= 1) {
            return stats.absMax();
        }
        return MaxPercentileCalibrator.quantile(stats, maxPercentile);
    }
}
