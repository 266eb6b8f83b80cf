package dev.kiln.core.quant;

import dev.kiln.core.KilnException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * calibration_type default: tries max, max_percentile 0.99995 and kl, each with weights per output
 * channel and per tensor, scores every candidate table with the {@link CandidateEvaluator} and
 * keeps the best (the first in {@link #candidates} order on ties; a NaN score never wins).
 * Logs one line per candidate and then {@code Select kl method.} as hb_mapper does.
 */
public final class DefaultCalibrator {
    /** One method with one weight granularity. */
    public record Candidate(ThresholdCalibrator calibrator, boolean perChannelWeights) {
        /** e.g. "kl, weights per channel". */
        public String label() {
            return calibrator.method() + ", weights " + (perChannelWeights ? "per channel" : "per tensor");
        }
    }

    /** The chosen candidate, its table and score, and every candidate's score in order. */
    public record Selection(Candidate best, CalibrationTable table, double score, List<Double> scores) {
    }

    private DefaultCalibrator() {
    }

    /**
     * The methods tried: max (clipped at max_percentile when below 1), max_percentile 0.99995 and
     * kl, in that order.
     */
    public static List<ThresholdCalibrator> methods(double maxPercentile) {
        return List.of(new MaxCalibrator(maxPercentile), new MaxPercentileCalibrator(), new KlCalibrator());
    }

    /**
     * The candidates: each method with weights per channel, then per tensor.
     *
     * @param perChannel null to try both granularities, else only the one given (per_channel)
     */
    public static List<Candidate> candidates(double maxPercentile, Boolean perChannel) {
        List<Candidate> out = new ArrayList<>();
        for (ThresholdCalibrator m : methods(maxPercentile)) {
            if (perChannel == null || perChannel) {
                out.add(new Candidate(m, true));
            }
            if (perChannel == null || !perChannel) {
                out.add(new Candidate(m, false));
            }
        }
        return out;
    }

    /** Scores each candidate and returns the best. */
    public static Selection select(ActivationStats stats, List<Candidate> candidates, CandidateEvaluator evaluator,
                                   Consumer<String> log) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no calibration candidates");
        }
        if (evaluator == null) {
            throw new KilnException("calibration_type default and mix need a candidate evaluator");
        }
        List<Double> scores = new ArrayList<>();
        int best = -1;
        double bestScore = Double.NaN;
        CalibrationTable bestTable = null;
        for (int c = 0; c < candidates.size(); c++) {
            Candidate cand = candidates.get(c);
            CalibrationTable table = cand.calibrator().calibrate(stats, cand.perChannelWeights());
            double score = evaluator.score(table);
            scores.add(score);
            log.accept(String.format(Locale.ROOT, "Run calibration model with %s method, weights %s: score %.6f",
                    displayName(cand.calibrator()), cand.perChannelWeights() ? "per channel" : "per tensor", score));
            if (best < 0 || score > bestScore || Double.isNaN(bestScore) && !Double.isNaN(score)) {
                best = c;
                bestScore = score;
                bestTable = table;
            }
        }
        Candidate chosen = candidates.get(best);
        log.accept("Select " + shortName(chosen.calibrator()) + " method.");
        return new Selection(chosen, bestTable, bestScore, List.copyOf(scores));
    }

    /** A method as hb_mapper's log names it: "kl", "max", "max-percentile=0.99995". */
    static String displayName(ThresholdCalibrator m) {
        String s = m.method();
        return s.startsWith("max_percentile ") ? "max-percentile=" + s.substring("max_percentile ".length()) : s;
    }

    /** A method's family as the selection line names it: "kl", "max", "max-percentile". */
    static String shortName(ThresholdCalibrator m) {
        return m.method().startsWith("max_percentile") ? "max-percentile" : m.method();
    }
}
