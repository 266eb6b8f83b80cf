package dev.kiln.core.quant;

import dev.kiln.core.ir.Model;
import dev.kiln.core.util.ProgressSink;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** default and mix: the search over methods, with scripted and fake-quantizing evaluators. */
class SearchCalibratorsTest {
    private static ActivationStats convStats() {
        return ActivationStats.collect(CalibFixtures.convModel(),
                new CalibFixtures.RandomSamples("x", 40, 2f, 1, 2, 6, 6).withOutliers(101),
                new ActivationStats.Options(1, false, null), ProgressSink.NONE);
    }

    @Test
    void defaultScoresEveryCandidateAndSelectsTheBest() {
        ActivationStats stats = convStats();
        List<String> log = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        CandidateEvaluator eval = t -> {
            seen.add(t.method() + (t.perChannelWeights() ? "/pc" : "/pt"));
            return (t.method().equals("kl") ? 0.95 : 0.9) + (t.perChannelWeights() ? 0 : 0.01);
        };
        DefaultCalibrator.Selection s = DefaultCalibrator.select(stats, DefaultCalibrator.candidates(1.0, null), eval, log::add);
        assertEquals(List.of("max/pc", "max/pt", "max_percentile 0.99995/pc", "max_percentile 0.99995/pt", "kl/pc", "kl/pt"),
                seen);
        assertEquals("kl", s.table().method());
        assertFalse(s.table().perChannelWeights());
        assertEquals(0.96, s.score(), 1e-12);
        assertEquals(6, s.scores().size());
        assertEquals("Select kl method.", log.get(log.size() - 1));
        assertEquals("Run calibration model with max-percentile=0.99995 method, weights per channel: score 0.900000",
                log.get(2));
        for (CalibrationTable.Entry e : s.table().entries().values()) {
            assertEquals("kl", e.method());
            assertTrue(e.threshold() > 0);
        }
    }

    @Test
    void perChannelRestrictsTheSearchAndTiesKeepTheFirstCandidate() {
        ActivationStats stats = convStats();
        List<String> log = new ArrayList<>();
        List<Boolean> granularity = new ArrayList<>();
        CandidateEvaluator eval = t -> {
            granularity.add(t.perChannelWeights());
            return 0.5;
        };
        DefaultCalibrator.Selection s = DefaultCalibrator.select(stats, DefaultCalibrator.candidates(1.0, Boolean.TRUE),
                eval, log::add);
        assertEquals(List.of(true, true, true), granularity);
        assertEquals("max", s.table().method());
        assertEquals("Select max method.", log.get(log.size() - 1));
        granularity.clear();
        DefaultCalibrator.select(stats, DefaultCalibrator.candidates(1.0, Boolean.FALSE), eval, log::add);
        assertEquals(List.of(false, false, false), granularity);
        // a max_percentile below 1 turns the max candidate into that percentile
        assertEquals("max_percentile 0.999", DefaultCalibrator.candidates(0.999, null).get(0).calibrator().method());
        CandidateEvaluator percentileWins = t -> t.method().equals("max_percentile 0.99995") ? 1 : Double.NaN;
        log.clear();
        DefaultCalibrator.select(stats, DefaultCalibrator.candidates(1.0, null), percentileWins, log::add);
        assertEquals("Select max-percentile method.", log.get(log.size() - 1));
    }

    /**
     * A scripted model of accuracy: each tensor has a preferred threshold and a weight; the score
     * falls with the weighted log-distance of the table's thresholds from them (tensors absent from
     * the table count as float, i.e. perfect).
     */
    private static CandidateEvaluator scripted(Map<String, Float> target, Map<String, Double> weight, int[] calls) {
        return t -> {
            calls[0]++;
            double loss = 0;
            for (CalibrationTable.Entry e : t.entries().values()) {
                Float want = target.get(e.tensor());
                if (want != null) {
                    loss += weight.get(e.tensor()) * Math.abs(Math.log(e.threshold() / want));
                }
            }
            return 1 - loss;
        };
    }

    @Test
    void mixLetsSensitiveTensorsChooseTheirOwnMethod() {
        ActivationStats stats = convStats();
        float xMax = new MaxCalibrator().threshold(stats.get("x"));
        float convKl = new KlCalibrator().threshold(stats.get("conv_out"));
        float conv1Max = new MaxCalibrator().threshold(stats.get("conv_out_1"));
        // the outliers make kl clip these tensors, so the methods disagree
        assertTrue(new KlCalibrator().threshold(stats.get("x")) < 0.5f * xMax);
        assertTrue(convKl < 0.9f * new MaxCalibrator().threshold(stats.get("conv_out")));
        Map<String, Float> target = Map.of("x", xMax, "conv_out", convKl, "conv_out_1", conv1Max);
        Map<String, Double> weight = Map.of("x", 1.0, "conv_out", 0.8, "conv_out_1", 0.5);
        int[] calls = {0};
        CandidateEvaluator eval = scripted(target, weight, calls);
        List<String> log = new ArrayList<>();
        DefaultCalibrator.Selection start = DefaultCalibrator.select(stats, DefaultCalibrator.candidates(1.0, null),
                eval, log::add);
        assertEquals("max", start.table().method());
        int afterDefault = calls[0];
        CalibrationTable mixed = MixCalibrator.calibrate(stats, start, DefaultCalibrator.methods(1.0), eval, 40, log::add);
        assertEquals("mix", mixed.method());
        assertEquals("kl", mixed.get("conv_out").method());
        assertEquals(convKl, mixed.get("conv_out").threshold());
        assertEquals("max", mixed.get("x").method());
        assertEquals("max", mixed.get("conv_out_1").method());
        assertEquals(1.0, eval.score(mixed), 1e-6);
        assertTrue(calls[0] - afterDefault <= 40 + 1);
        assertTrue(log.contains("Mix calibration: 6 of 6 tensors ranked by sensitivity"), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Mix calibration: conv_out uses kl")), log.toString());
    }

    @Test
    void mixStaysWithinItsBudget() {
        ActivationStats stats = convStats();
        int[] calls = {0};
        CandidateEvaluator eval = scripted(Map.of("relu_out", 0.01f), Map.of("relu_out", 1.0), calls);
        DefaultCalibrator.Selection start = DefaultCalibrator.select(stats, DefaultCalibrator.candidates(1.0, null),
                eval, l -> { });
        for (int budget : new int[] {0, 1, 3, 7}) {
            calls[0] = 0;
            MixCalibrator.calibrate(stats, start, DefaultCalibrator.methods(1.0), eval, budget, l -> { });
            assertTrue(calls[0] <= budget, "budget " + budget + ": " + calls[0] + " calls");
        }
    }

    @Test
    void defaultWithAFakeQuantizingEvaluatorOnAConvModel() {
        Model m = CalibFixtures.convModel();
        CalibFixtures.RandomSamples samples = new CalibFixtures.RandomSamples("x", 4, 2f, 1, 2, 6, 6);
        ActivationOnlyEvaluator eval = new ActivationOnlyEvaluator(m, samples);
        List<String> log = new ArrayList<>();
        Calibration.Result r = Calibration.run(m, CalibrationSettings.of(
                dev.kiln.core.config.CalibrationParameters.CalibrationType.DEFAULT).withThreads(2), samples, eval,
                log::add, ProgressSink.NONE, null);
        assertEquals(6, eval.calls);
        String select = log.get(log.size() - 1);
        assertTrue(select.matches("Select (max|max-percentile|kl) method\\."), select);
        CalibrationTable t = r.table();
        assertEquals(6, t.entries().size());
        double score = eval.score(t);
        assertTrue(score > 0.99, "cosine " + score);
        // the selected table scores at least as well as every method on its own
        ActivationStats stats = statsOf(m, samples);
        for (ThresholdCalibrator c : DefaultCalibrator.methods(1.0)) {
            assertTrue(score >= eval.score(c.calibrate(stats, true)) - 1e-12, c.method());
        }
    }

    private static ActivationStats statsOf(Model m, CalibFixtures.RandomSamples s) {
        return ActivationStats.collect(m, s, new ActivationStats.Options(1, false, null), ProgressSink.NONE);
    }
}
