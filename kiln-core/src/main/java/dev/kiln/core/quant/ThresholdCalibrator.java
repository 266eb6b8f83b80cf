package dev.kiln.core.quant;

/**
 * A calibration method that picks each tensor's threshold from its own statistics alone (max,
 * max_percentile, kl). The threshold is the |x| that maps to 127.
 */
public interface ThresholdCalibrator {
    /**
     * The smallest threshold written to a table: a tensor that was zero on every sample (or whose
     * method found no positive threshold) gets this, so that every scale is positive.
     */
    float MIN_THRESHOLD = 1e-6f;

    /** The method's name as written in the calibration table, e.g. "kl" or "max_percentile 0.99995". */
    String method();

    /** The threshold of one tensor (may be 0 for an all-zero tensor; {@link #calibrate} raises it). */
    float threshold(TensorStats stats);

    /** A table with every tensor's threshold by this method. */
    default CalibrationTable calibrate(ActivationStats stats, boolean perChannelWeights) {
        CalibrationTable table = new CalibrationTable(method(), perChannelWeights);
        for (TensorStats s : stats.tensors().values()) {
            table.put(entry(s));
        }
        return table;
    }

    /** One tensor's table entry by this method. */
    default CalibrationTable.Entry entry(TensorStats s) {
        return new CalibrationTable.Entry(s.name(), s.min(), s.max(), positive(threshold(s)), method());
    }

    /** {@code t}, or {@link #MIN_THRESHOLD} when t is smaller, zero or not a number. */
    static float positive(float t) {
        return t >= MIN_THRESHOLD && t != Float.POSITIVE_INFINITY ? t : MIN_THRESHOLD;
    }

    /** A percentile as the table writes it: 0.99995, 0.9999, 1. */
    static String percentileText(double q) {
        return java.math.BigDecimal.valueOf(q).stripTrailingZeros().toPlainString();
    }
}
