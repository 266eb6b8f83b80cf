package dev.kiln.core.models;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.onnx.OnnxExporter;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.testing.ModelInputs;
import dev.kiln.core.testing.OracleCheck;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestData;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real architectures exported to ONNX (torchvision models made by scripts/export_torchvision.py into
 * KILN_MODELS, the UltraFace detectors, the bundled PP-OCR classifier): Kiln against ONNX Runtime on
 * seeded random inputs, and the import -> export round trip run in ONNX Runtime against the
 * original file.
 */
class ExportedModelsTest {
    static List<Path> models() throws IOException {
        List<Path> out = new ArrayList<>();
        String dir = System.getenv("KILN_MODELS");
        if (dir != null && Files.isDirectory(Path.of(dir))) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                out.addAll(s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList());
            }
        }
        if (TestData.has("models/ultraface/onnx")) {
            try (Stream<Path> s = Files.list(TestData.root().resolve("models/ultraface/onnx"))) {
                out.addAll(s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList());
            }
        }
        Path example = Path.of("../examples/ppocr-cls/ch_ppocr_mobile_v2.0_cls_infer.onnx");
        if (Files.exists(example)) {
            out.add(example);
        }
        return out;
    }

    /** Sizes for dynamic spatial dims: what the model is used with. */
    static int[] sizeFor(Path model) {
        String name = model.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        // PP-OCR text-line models (direction classifier, recognizer) take lines 48 pixels high
        return name.startsWith("ch_pp") && !name.contains("_det") ? new int[] {1, 3, 48, 192} : null;
    }

    @TestFactory
    Stream<DynamicTest> kilnMatchesOnnxRuntime() throws IOException {
        List<Path> models = models();
        Assumptions.assumeFalse(models.isEmpty(), "no exported models: run scripts/test.sh (needs python3-torch) or set KILN_MODELS");
        return models.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Model m = OnnxImporter.load(p);
            Map<String, Tensor> in = ModelInputs.random(m, 11, sizeFor(p));
            OracleCheck.assertAgrees(p.getFileName().toString(), OrtOracle.run(p, in), new Executor(m, 2).run(in));
        }));
    }

    @TestFactory
    Stream<DynamicTest> roundTripRunsInOnnxRuntime() throws IOException {
        List<Path> models = models();
        Assumptions.assumeFalse(models.isEmpty(), "no exported models: run scripts/test.sh (needs python3-torch) or set KILN_MODELS");
        return models.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Model m = OnnxImporter.load(p);
            Map<String, Tensor> in = ModelInputs.random(m, 5, sizeFor(p));
            Path out = Files.createTempFile("kiln-roundtrip-", ".onnx");
            try {
                OnnxExporter.save(m, out);
                OracleCheck.assertAgrees(p.getFileName() + " exported by Kiln", OrtOracle.run(p, in), OrtOracle.run(out, in));
            } finally {
                Files.deleteIfExists(out);
            }
        }));
    }
}
