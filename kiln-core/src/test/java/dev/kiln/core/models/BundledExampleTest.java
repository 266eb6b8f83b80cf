package dev.kiln.core.models;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.TensorFiles;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.testing.OracleCheck;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled example (PP-OCR text-direction classifier, paddle2onnx opset 9 with all weights in
 * Constant nodes) on its rendered sample lines: Kiln agrees with ONNX Runtime, and upright lines are
 * classified 0 degrees, turned ones 180 degrees.
 */
class BundledExampleTest {
    private static final Path DIR = Path.of("../examples/ppocr-cls");

    @Test
    void classifiesTextDirectionLikeOnnxRuntime() throws Exception {
        Path model = DIR.resolve("ch_ppocr_mobile_v2.0_cls_infer.onnx");
        Model m = OnnxImporter.load(model);
        Executor ex = new Executor(m, 2);
        List<Path> samples;
        try (Stream<Path> s = Files.list(DIR.resolve("samples"))) {
            samples = s.filter(p -> p.toString().endsWith(".npy")).sorted().toList();
        }
        assertTrue(samples.size() >= 4, "the example ships rendered samples");
        for (Path sample : samples) {
            Map<String, Tensor> in = Map.of("x", TensorFiles.read(sample));
            Map<String, Tensor> kiln = ex.run(in);
            OracleCheck.assertAgrees(sample.getFileName().toString(), OrtOracle.run(model, in), kiln);
            float[] p = kiln.values().iterator().next().floats();
            int predicted = p[1] > p[0] ? 180 : 0;
            int expected = sample.getFileName().toString().contains("_180deg") ? 180 : 0;
            assertEquals(expected, predicted, sample.getFileName() + ": probabilities " + p[0] + ", " + p[1]);
        }
    }
}
