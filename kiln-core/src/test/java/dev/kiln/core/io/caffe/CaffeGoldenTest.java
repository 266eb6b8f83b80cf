package dev.kiln.core.io.caffe;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.TensorFiles;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Caffe layer fixture of {@code caffe-golden/} (written by scripts/caffe-golden/make_fixtures.py
 * with OpenCV's DNN module, an independent Caffe reader): Kiln converts the net from its prototxt and
 * caffemodel and computes each recorded blob within 1e-4 of its range.
 *
 * <p>DetectionOutput blobs follow OpenCV's layout, [1, 1, keep_top_k, 7] with the kept detections
 * first (by score) and zero rows after them; Kiln follows Caffe's (the kept rows only, by label then
 * score), so the kept rows are compared as sets.
 */
class CaffeGoldenTest {
    @TestFactory
    Stream<DynamicTest> layersMatchOpenCv() throws IOException, URISyntaxException {
        Path root = Path.of(CaffeGoldenTest.class.getResource("/caffe-golden").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path dir : s.filter(Files::isDirectory).sorted().toList()) {
                tests.add(DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
            }
        }
        assertTrue(tests.size() >= 83, "fixtures found: " + tests.size());
        return tests.stream();
    }

    private static void check(Path dir) throws IOException {
        String json = Files.readString(dir.resolve("case.json"));
        Map<String, String> inputs = section(json, "inputs");
        Map<String, String> outputs = section(json, "outputs");
        Model m = CaffeImporter.load(dir.resolve("net.prototxt"), dir.resolve("net.caffemodel"), w -> { });
        Map<String, Tensor> feeds = new HashMap<>();
        for (Map.Entry<String, String> e : inputs.entrySet()) {
            feeds.put(e.getKey(), TensorFiles.read(dir.resolve(e.getValue())));
        }
        for (String blob : outputs.keySet()) {
            assertNotNull(m.graph().lookup(blob), "the converted model has a value named after blob '" + blob + "'");
        }
        Map<String, Tensor> got = new Executor(m).run(feeds, new Executor.RunOptions(outputs.keySet(), null));
        for (Map.Entry<String, String> e : outputs.entrySet()) {
            Tensor want = TensorFiles.read(dir.resolve(e.getValue()));
            Value v = m.graph().lookup(e.getKey());
            // blobs known at conversion time (PriorBox) are constants of the model
            Tensor have = v.isConstant() ? v.constant().tensor() : got.get(e.getKey());
            assertNotNull(have, e.getKey());
            if (v.producer() != null && isDetectionOutput(v)) {
                assertSameDetections(e.getKey(), want, have);
                continue;
            }
            assertArrayEquals(want.shape(), have.shape(), e.getKey() + ": shape");
            double err = Tolerance.rangeRelativeError(want, have);
            assertTrue(err <= Tolerance.ORACLE_RELATIVE_TO_RANGE, e.getKey() + " differs from OpenCV by " + err
                    + " of its range");
        }
    }

    /** A DetectionOutput's result: the importer marks the layer's nodes float-only with its reason. */
    private static boolean isDetectionOutput(Value v) {
        String why = v.producer().metadata().get(dev.kiln.core.quant.QuantPlan.FLOAT_ONLY_KEY);
        return why != null && why.startsWith("DetectionOutput");
    }

    /** OpenCV's kept rows (score > 0) against Kiln's rows, both ordered by label, then score. */
    private static void assertSameDetections(String blob, Tensor want, Tensor have) {
        List<float[]> w = rows(want);
        List<float[]> h = rows(have);
        java.util.Comparator<float[]> byLabelScore = (a, b) -> a[1] != b[1] ? Float.compare(a[1], b[1]) : Float.compare(b[2], a[2]);
        w.sort(byLabelScore);
        h.sort(byLabelScore);
        assertEquals(w.size(), h.size(), blob + ": number of detections");
        for (int i = 0; i < w.size(); i++) {
            for (int k = 0; k < 7; k++) {
                assertEquals(w.get(i)[k], h.get(i)[k], 1e-4, blob + " row " + i + " " + Arrays.toString(h.get(i)));
            }
        }
    }

    private static List<float[]> rows(Tensor t) {
        float[] f = t.floats();
        List<float[]> out = new ArrayList<>();
        for (int r = 0; r + 7 <= f.length; r += 7) {
            float[] row = Arrays.copyOfRange(f, r, r + 7);
            if (row[2] > 0 && row[1] >= 0) {
                out.add(row);
            }
        }
        return out;
    }

    /** The string pairs of one flat JSON object ("inputs": {"data": "input.npy"}). */
    private static Map<String, String> section(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\{([^}]*)\\}").matcher(json);
        assertTrue(m.find(), key + " in case.json");
        Map<String, String> out = new LinkedHashMap<>();
        Matcher p = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([^\"]+)\"").matcher(m.group(1));
        while (p.find()) {
            out.put(p.group(1), p.group(2));
        }
        return out;
    }
}
