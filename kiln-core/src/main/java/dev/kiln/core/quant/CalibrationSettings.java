package dev.kiln.core.quant;

import dev.kiln.core.config.CalibrationParameters;
import dev.kiln.core.config.CalibrationParameters.CalibrationType;

import java.nio.file.Path;

/**
 * How {@link Calibration#run} calibrates, derived from calibration_parameters.
 *
 * @param type             calibration_type
 * @param maxPercentile    max_percentile in (0, 1] (1: plain max)
 * @param perChannel       weights per output channel (true), per tensor (false), or null to let default
 *                         and mix try both; fixed methods (max, kl) take null as per channel
 * @param threads          workers running forward passes at once
 * @param channelStats     also keep each activation's per-channel maxima
 * @param mixBudget        evaluator calls mix may make after the default selection
 * @param dumpDir          where to write the converted samples as .npy (debug_mode dump_calibration_data), or null
 */
public record CalibrationSettings(CalibrationType type, double maxPercentile, Boolean perChannel, int threads,
                                  boolean channelStats, int mixBudget, Path dumpDir) {
    public CalibrationSettings {
        if (!(maxPercentile > 0 && maxPercentile <= 1)) {
            throw new IllegalArgumentException("max_percentile must be in (0, 1], found " + maxPercentile);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
    }

    /** Settings of one method with everything else at its default. */
    public static CalibrationSettings of(CalibrationType type) {
        return new CalibrationSettings(type, 1.0, null, Runtime.getRuntime().availableProcessors(), false,
                MixCalibrator.DEFAULT_BUDGET, null);
    }

    /**
     * From the configuration. per_channel: True restricts weights to per channel; False, being also
     * the value of an absent key, leaves default and mix free to try both.
     *
     * @param dumpDir the directory for debug_mode dump_calibration_data, or null
     */
    public static CalibrationSettings from(CalibrationParameters p, Path dumpDir) {
        return new CalibrationSettings(p.type(), p.maxPercentile(), p.perChannel() ? Boolean.TRUE : null,
                Runtime.getRuntime().availableProcessors(), false, MixCalibrator.DEFAULT_BUDGET, dumpDir);
    }

    public CalibrationSettings withThreads(int n) {
        return new CalibrationSettings(type, maxPercentile, perChannel, n, channelStats, mixBudget, dumpDir);
    }

    public CalibrationSettings withPerChannel(Boolean p) {
        return new CalibrationSettings(type, maxPercentile, p, threads, channelStats, mixBudget, dumpDir);
    }

    public CalibrationSettings withMaxPercentile(double q) {
        return new CalibrationSettings(type, q, perChannel, threads, channelStats, mixBudget, dumpDir);
    }

    public CalibrationSettings withMixBudget(int budget) {
        return new CalibrationSettings(type, maxPercentile, perChannel, threads, channelStats, budget, dumpDir);
    }

    public CalibrationSettings withDumpDir(Path dir) {
        return new CalibrationSettings(type, maxPercentile, perChannel, threads, channelStats, mixBudget, dir);
    }

    /** Weights per channel for the fixed methods. */
    boolean fixedPerChannel() {
        return perChannel == null || perChannel;
    }
}
