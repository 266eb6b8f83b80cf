package dev.kiln.core.quant;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.CalibrationParameters;
import dev.kiln.core.config.CalibrationParameters.CalibrationType;
import dev.kiln.core.ir.Model;
import dev.kiln.core.util.ProgressSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationRunTest {
    @TempDir
    Path tmp;

    @Test
    void klRunWritesTheTable() {
        Model m = CalibFixtures.convModel();
        CalibFixtures.RandomSamples samples = new CalibFixtures.RandomSamples("x", 8, 2f, 1, 2, 6, 6).withOutliers(41);
        List<String> log = new ArrayList<>();
        Path file = tmp.resolve("cal.txt");
        Calibration.Result r = Calibration.run(m, CalibrationSettings.of(CalibrationType.KL).withThreads(2), samples,
                null, log::add, ProgressSink.NONE, file);
        assertNull(r.warning());
        assertEquals(List.of("Calibration with 8 samples, calibration_type kl."), log);
        assertEquals(8, samples.loads.get());
        CalibrationTable t = r.table();
        assertEquals("kl", t.method());
        assertTrue(t.perChannelWeights());
        assertEquals(6, t.entries().size());
        CalibrationTable back = CalibrationTable.read(file);
        assertEquals(t.entries(), back.entries());
        for (CalibrationTable.Entry e : t.entries().values()) {
            assertTrue(e.threshold() > 0 && e.threshold() <= Math.max(-e.min(), e.max()), e.toString());
        }
    }

    @Test
    void maxRunHonoursMaxPercentileAndPerChannel() {
        Model m = CalibFixtures.convModel();
        CalibFixtures.RandomSamples samples = new CalibFixtures.RandomSamples("x", 5, 1f, 1, 2, 6, 6);
        CalibrationSettings s = CalibrationSettings.of(CalibrationType.MAX).withPerChannel(Boolean.FALSE);
        CalibrationTable plain = Calibration.run(m, s, samples, null, l -> { }, ProgressSink.NONE, null).table();
        assertEquals("max", plain.method());
        assertFalse(plain.perChannelWeights());
        CalibrationTable.Entry x = plain.get("x");
        assertEquals(Math.max(-x.min(), x.max()), x.threshold());
        CalibrationTable clipped = Calibration.run(m, s.withMaxPercentile(0.9), samples, null, l -> { },
                ProgressSink.NONE, null).table();
        assertEquals("max_percentile 0.9", clipped.method());
        assertTrue(clipped.get("x").threshold() < x.threshold());
    }

    @Test
    void settingsFromTheConfiguration() {
        CalibrationParameters p = new CalibrationParameters(List.of(), false, CalibrationType.MIX, 0.9999, true,
                List.of(), List.of(), Set.of());
        CalibrationSettings s = CalibrationSettings.from(p, tmp);
        assertEquals(CalibrationType.MIX, s.type());
        assertEquals(0.9999, s.maxPercentile());
        assertEquals(Boolean.TRUE, s.perChannel());
        assertEquals(tmp, s.dumpDir());
        CalibrationParameters q = new CalibrationParameters(List.of(), false, CalibrationType.DEFAULT, 1.0, false,
                List.of(), List.of(), Set.of());
        assertNull(CalibrationSettings.from(q, null).perChannel());
    }

    @Test
    void missingDataOrEvaluatorIsAnError() {
        Model m = CalibFixtures.convModel();
        assertEquals("calibration_type kl needs calibration data (cal_data_dir)", assertThrows(KilnException.class,
                () -> Calibration.run(m, CalibrationSettings.of(CalibrationType.KL), null, null, l -> { },
                        ProgressSink.NONE, null)).getMessage());
        CalibFixtures.RandomSamples samples = new CalibFixtures.RandomSamples("x", 2, 1f, 1, 2, 6, 6);
        assertEquals("calibration_type mix needs a candidate evaluator", assertThrows(KilnException.class,
                () -> Calibration.run(m, CalibrationSettings.of(CalibrationType.MIX), samples, null, l -> { },
                        ProgressSink.NONE, null)).getMessage());
        assertEquals(0, samples.loads.get());
    }

    @Test
    void mixThroughTheEntryPoint() {
        Model m = CalibFixtures.convModel();
        CalibFixtures.RandomSamples samples = new CalibFixtures.RandomSamples("x", 3, 2f, 1, 2, 6, 6).withOutliers(29);
        ActivationOnlyEvaluator eval = new ActivationOnlyEvaluator(m, samples);
        List<String> log = new ArrayList<>();
        CalibrationTable t = Calibration.run(m, CalibrationSettings.of(CalibrationType.MIX).withMixBudget(10), samples,
                eval, log::add, ProgressSink.NONE, null).table();
        assertEquals("mix", t.method());
        assertTrue(eval.calls <= 6 + 10, "evaluator calls " + eval.calls);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Select ")), log.toString());
        assertEquals(6, t.entries().size());
    }
}
