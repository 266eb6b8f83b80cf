package dev.kiln.core.quant;

import dev.kiln.core.KilnException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * calibration_type mix: starts from the default selection, then lets the most sensitive tensors
 * pick their own method.
 *
 * <ol>
 *   <li>Sensitivity: each tensor is quantized alone (a table holding only its entry from the
 *       default selection) and scored; the lower the score, the more sensitive. When there are
 *       more tensors than half the budget, only the half budget's worth whose methods disagree
 *       most (relative spread of their thresholds) are measured; the others keep the default.</li>
 *   <li>Choice: for the most sensitive tensors first, while the budget lasts, each other method's
 *       threshold is tried in the full table; a change is kept when it raises the score. Methods
 *       giving the same threshold as the current one are not scored.</li>
 * </ol>
 * The budget bounds the evaluator calls (each runs the fake-quantized model over its samples).
 */
public final class MixCalibrator {
    /** Evaluator calls mix may make beyond the default selection, unless told otherwise. */
    public static final int DEFAULT_BUDGET = 48;
    /** Thresholds closer than this (relative) count as the same. */
    private static final double SAME_THRESHOLD = 1e-6;

    private MixCalibrator() {
    }

    /**
     * @param stats   the activation statistics
     * @param start   the default selection to start from
     * @param methods the methods a tensor may choose among
     * @param budget  at most this many evaluator calls
     */
    public static CalibrationTable calibrate(ActivationStats stats, DefaultCalibrator.Selection start,
                                             List<ThresholdCalibrator> methods, CandidateEvaluator evaluator,
                                             int budget, Consumer<String> log) {
        if (evaluator == null) {
            throw new KilnException("calibration_type mix needs a candidate evaluator");
        }
        boolean perChannel = start.best().perChannelWeights();
        CalibrationTable current = start.table().copy("mix", perChannel);
        double currentScore = start.score();
        List<String> names = new ArrayList<>(current.entries().keySet());
        Map<String, Map<String, CalibrationTable.Entry>> options = new LinkedHashMap<>();
        for (String n : names) {
            Map<String, CalibrationTable.Entry> byMethod = new LinkedHashMap<>();
            for (ThresholdCalibrator m : methods) {
                byMethod.put(m.method(), m.entry(stats.get(n)));
            }
            options.put(n, byMethod);
        }

        int used = 0;
        List<String> measured = preselect(names, options, Math.max(0, budget / 2));
        Map<String, Double> alone = new LinkedHashMap<>();
        for (String n : measured) {
            CalibrationTable single = new CalibrationTable("mix", perChannel);
            single.put(current.get(n));
            alone.put(n, evaluator.score(single));
            used++;
        }
        List<String> ranked = new ArrayList<>(measured);
        ranked.sort(Comparator.comparingDouble((String n) -> alone.get(n)));
        log.accept("Mix calibration: " + ranked.size() + " of " + names.size() + " tensors ranked by sensitivity");

        for (String n : ranked) {
            for (CalibrationTable.Entry e : options.get(n).values()) {
                CalibrationTable.Entry now = current.get(n);
                if (e.method().equals(now.method()) || same(e.threshold(), now.threshold())) {
                    continue;
                }
                if (used >= budget) {
                    break;
                }
                CalibrationTable trial = current.with(e);
                double score = evaluator.score(trial);
                used++;
                if (score > currentScore) {
                    log.accept(String.format(Locale.ROOT, "Mix calibration: %s uses %s (score %.6f -> %.6f)",
                            n, e.method(), currentScore, score));
                    current = trial;
                    currentScore = score;
                }
            }
            if (used >= budget) {
                break;
            }
        }
        return current;
    }

    /** The tensors to measure: all when they fit, else those whose methods disagree most. */
    private static List<String> preselect(List<String> names, Map<String, Map<String, CalibrationTable.Entry>> options,
                                          int count) {
        if (names.size() <= count) {
            return names;
        }
        Map<String, Double> spread = new LinkedHashMap<>();
        for (String n : names) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (CalibrationTable.Entry e : options.get(n).values()) {
                lo = Math.min(lo, e.threshold());
                hi = Math.max(hi, e.threshold());
            }
            spread.put(n, hi > 0 ? (hi - lo) / hi : 0);
        }
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(Comparator.comparingDouble((String n) -> -spread.get(n)));
        List<String> chosen = new ArrayList<>(sorted.subList(0, count));
        chosen.sort(Comparator.comparingInt(names::indexOf));
        return chosen;
    }

    private static boolean same(float a, float b) {
        return Math.abs(a - b) <= SAME_THRESHOLD * Math.max(Math.abs(a), Math.abs(b));
    }
}
