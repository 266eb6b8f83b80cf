package dev.kiln.core.quant;

import dev.kiln.core.KilnException;
import dev.kiln.core.calib.CalibrationSamples;
import dev.kiln.core.config.CalibrationParameters.CalibrationType;
import dev.kiln.core.ir.Model;
import dev.kiln.core.util.ProgressSink;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The calibration stage (SPEC section 7): optimized float model + samples -> {@link CalibrationTable}.
 * max, kl, default and mix gather {@link ActivationStats} over the samples first; load and skip
 * need no data.
 */
public final class Calibration {
    /**
     * The table, and a warning the caller should log (skip: the accuracy is meaningless), or null.
     */
    public record Result(CalibrationTable table, String warning) {
    }

    private Calibration() {
    }

    /**
     * @param model     the optimized float model (inputs of the intermediate types)
     * @param settings  what to do
     * @param samples   the calibration samples, already converted to the model's input types
     *                  (see {@link CalibrationSamples#converted}); may be null for load and skip
     * @param evaluator scores candidate tables (default and mix only; may be null otherwise)
     * @param log       receives the info lines (e.g. {@code Select kl method.})
     * @param progress  where the statistics pass reports progress
     * @param tableFile where to write the table, or null
     */
    public static Result run(Model model, CalibrationSettings settings, CalibrationSamples samples,
                             CandidateEvaluator evaluator, Consumer<String> log, ProgressSink progress, Path tableFile) {
        Result result = calibrate(model, settings, samples, evaluator, log, progress);
        if (tableFile != null) {
            result.table().write(tableFile);
        }
        return result;
    }

    private static Result calibrate(Model model, CalibrationSettings settings, CalibrationSamples samples,
                                    CandidateEvaluator evaluator, Consumer<String> log, ProgressSink progress) {
        switch (settings.type()) {
            case SKIP:
                return new Result(SkipCalibrator.calibrate(model), SkipCalibrator.WARNING);
            case LOAD: {
                CalibrationTable t = LoadCalibrator.calibrate(model);
                log.accept("Thresholds of " + t.entries().size() + " tensors loaded from the model's quantization nodes.");
                return new Result(t, null);
            }
            default:
                break;
        }
        if (samples == null || samples.size() == 0) {
            throw new KilnException("calibration_type " + name(settings) + " needs calibration data (cal_data_dir)");
        }
        if ((settings.type() == CalibrationType.DEFAULT
                || settings.type() == CalibrationType.MIX) && evaluator == null) {
            throw new KilnException("calibration_type " + name(settings) + " needs a candidate evaluator");
        }
        log.accept("Calibration with " + samples.size() + " samples, calibration_type " + name(settings) + ".");
        ActivationStats stats = ActivationStats.collect(model, samples,
                new ActivationStats.Options(settings.threads(), settings.channelStats(), settings.dumpDir()), progress);
        for (TensorStats s : stats.tensors().values()) {
            if (s.nonFinite() > 0) {
                log.accept("Tensor " + s.name() + " held " + s.nonFinite() + " non-finite values (NaN or infinity),"
                        + " left out of its statistics.");
            }
        }
        switch (settings.type()) {
            case MAX:
                return new Result(new MaxCalibrator(settings.maxPercentile()).calibrate(stats, settings.fixedPerChannel()), null);
            case KL:
                return new Result(new KlCalibrator().calibrate(stats, settings.fixedPerChannel()), null);
            case DEFAULT:
                return new Result(select(stats, settings, evaluator, log).table(), null);
            case MIX: {
                DefaultCalibrator.Selection start = select(stats, settings, evaluator, log);
                return new Result(MixCalibrator.calibrate(stats, start, DefaultCalibrator.methods(settings.maxPercentile()),
                        evaluator, settings.mixBudget(), log), null);
            }
            default:
                throw new IllegalStateException("unhandled calibration_type " + settings.type());
        }
    }

    private static DefaultCalibrator.Selection select(ActivationStats stats, CalibrationSettings settings,
                                                      CandidateEvaluator evaluator, Consumer<String> log) {
        return DefaultCalibrator.select(stats, DefaultCalibrator.candidates(settings.maxPercentile(), settings.perChannel()),
                evaluator, log);
    }

    private static String name(CalibrationSettings s) {
        return s.type().name().toLowerCase(Locale.ROOT);
    }
}
