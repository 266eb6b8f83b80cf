package dev.kiln.core.quant;

import dev.kiln.core.KilnException;
import dev.kiln.core.calib.CalibrationSamples;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.TensorFiles;
import dev.kiln.core.ir.Model;
import dev.kiln.core.util.ProgressSink;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationStatsTest {
    @TempDir
    Path tmp;

    private static ActivationStats collect(Model m, CalibrationSamples s, int threads, boolean perChannel) {
        return ActivationStats.collect(m, s, new ActivationStats.Options(threads, perChannel, null), ProgressSink.NONE);
    }

    @Test
    void measuresFloatActivationsOnlyAndMatchesAReferenceRun() {
        Model m = CalibFixtures.convModel();
        CalibFixtures.RandomSamples samples = new CalibFixtures.RandomSamples("x", 5, 2f, 1, 2, 6, 6);
        ActivationStats stats = collect(m, samples, 1, true);
        // the graph input, both convs, relu, mul, and the float Cast (its input is int32, not measured)
        List<String> names = List.copyOf(stats.tensors().keySet());
        assertEquals(List.of("x", "conv_out", "relu_out", "conv_out_1", "mul_out", "cast_out_1"), names);
        assertEquals(5, stats.samples());

        Executor ex = new Executor(m, 1);
        Set<String> keep = new HashSet<>(names);
        Map<String, TensorStats> expected = new java.util.LinkedHashMap<>();
        for (String n : names) {
            expected.put(n, new TensorStats(n, true));
        }
        for (int i = 0; i < samples.size(); i++) {
            Map<String, Tensor> in = samples.get(i);
            Map<String, Tensor> out = ex.run(in, new Executor.RunOptions(keep, null));
            for (String n : names) {
                expected.get(n).add(n.equals("x") ? in.get("x") : out.get(n));
            }
        }
        for (String n : names) {
            assertEquals(expected.get(n), stats.get(n), n);
        }
        assertEquals(0f, stats.get("relu_out").min());
        assertEquals(4, stats.get("relu_out").channelAbsMax().length);
    }

    @Test
    void workersGiveTheSameStatisticsAsOneThread() {
        Model m = CalibFixtures.convModel();
        CalibFixtures.RandomSamples samples = new CalibFixtures.RandomSamples("x", 37, 3f, 1, 2, 6, 6);
        ActivationStats one = collect(m, samples, 1, true);
        for (int threads : new int[] {2, 3}) {
            ActivationStats many = collect(m, samples, threads, true);
            assertEquals(one.tensors().keySet(), many.tensors().keySet());
            for (String n : one.tensors().keySet()) {
                assertEquals(one.get(n), many.get(n), n);
            }
            assertEquals(37, many.samples());
        }
    }

    @Test
    void memoryDoesNotGrowWithTheNumberOfSamples() {
        Model m = CalibFixtures.chainModel(99);
        ActivationStats small = collect(m, new CalibFixtures.RandomSamples("x", 100, 1f, 1, 8), 2, false);
        ActivationStats large = collect(m, new CalibFixtures.RandomSamples("x", 1000, 1f, 1, 8), 2, false);
        assertEquals(100, small.tensors().size());
        assertEquals(small.retainedBytes(), large.retainedBytes());
        assertTrue(small.retainedBytes() > 100L * 8 * AbsHistogram.BINS);

        // the median of three measurements each: one heap measurement can be off by a collector's whim
        long heapSmall = medianRetainedHeap(() -> collect(m, new CalibFixtures.RandomSamples("x", 100, 1f, 1, 8), 2, false));
        long heapLarge = medianRetainedHeap(() -> collect(m, new CalibFixtures.RandomSamples("x", 1000, 1f, 1, 8), 2, false));
        assertTrue(heapSmall > small.retainedBytes() / 2, "heap measure too small: " + heapSmall);
        assertTrue(Math.abs(heapLarge - heapSmall) <= 0.10 * heapSmall,
                "retained heap: " + heapSmall + " bytes for 100 samples, " + heapLarge + " for 1000");
    }

    private static long medianRetainedHeap(java.util.function.Supplier<Object> make) {
        long[] v = {retainedHeap(make), retainedHeap(make), retainedHeap(make)};
        java.util.Arrays.sort(v);
        return v[1];
    }

    /** Used heap after GC with the result alive, minus used heap after GC once it is dropped. */
    private static long retainedHeap(java.util.function.Supplier<Object> make) {
        Object[] holder = {make.get()};
        long with = usedAfterGc();
        holder[0] = null;
        long without = usedAfterGc();
        return with - without;
    }

    private static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    void progressBarCountsSamplesOnTheGivenStream() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Model m = CalibFixtures.convModel();
        ActivationStats.collect(m, new CalibFixtures.RandomSamples("x", 12, 1f, 1, 2, 6, 6),
                new ActivationStats.Options(2, false, null), ProgressSink.console(out, "samples"));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("calibration 100%"), text);
        assertTrue(text.contains("12/12 samples"), text);
        assertTrue(text.contains("samples/s"), text);
        assertTrue(text.endsWith("\n"), text);
    }

    @Test
    void samplesAreDumpedWhenAsked() {
        Model m = CalibFixtures.convModel();
        CalibFixtures.RandomSamples samples = new CalibFixtures.RandomSamples("x", 3, 1f, 1, 2, 6, 6);
        ActivationStats.collect(m, samples, new ActivationStats.Options(2, false, tmp), ProgressSink.NONE);
        for (int i = 0; i < 3; i++) {
            Tensor t = TensorFiles.read(tmp.resolve("x").resolve("s" + i + ".npy"));
            assertEquals(samples.get(i).get("x").floats()[5], t.floats()[5]);
        }
    }

    @Test
    void aFailingRunNamesTheSample() {
        Model m = CalibFixtures.convModel();
        CalibFixtures.RandomSamples wrong = new CalibFixtures.RandomSamples("x", 4, 1f, 1, 2, 5, 5);
        KilnException e = assertThrows(KilnException.class, () -> collect(m, wrong, 1, false));
        assertEquals("calibration sample 1 (s0): input 'x' expects shape float32[1x2x6x6] but was given [1, 2, 5, 5]",
                e.getMessage());
    }
}
