package dev.kiln.core.models;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.testing.OracleCheck;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestData;
import dev.kiln.core.testing.TestImages;
import dev.kiln.runtime.tensor.Tensor;
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
 * The real UltraFace face detectors (every ONNX variant in the shared test data) on the real face
 * photos, Kiln against ONNX Runtime: max |diff| <= 1e-4 x max(1, max |reference|).
 */
class UltraFaceTest {
    @TestFactory
    Stream<DynamicTest> ultraFaceMatchesOnnxRuntime() throws IOException {
        Path dir = TestData.require("models/ultraface/onnx");
        Path faces = TestData.require("images/faces");
        List<Path> images;
        try (Stream<Path> s = Files.list(faces)) {
            images = s.filter(p -> p.toString().toLowerCase().matches(".*\\.(jpg|jpeg|png)$")).sorted().limit(4).toList();
        }
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path model : s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList()) {
                tests.add(DynamicTest.dynamicTest(model.getFileName().toString(), () -> {
                    Model m = OnnxImporter.load(model);
                    Executor ex = new Executor(m, 2);
                    String input = m.graph().inputs().get(0).name();
                    for (Path img : images) {
                        Tensor x = TestImages.rgbNchw(img, 320, 240, 127f, 128f);
                        Map<String, Tensor> feeds = Map.of(input, x);
                        OracleCheck.assertAgrees(model.getFileName() + " on " + img.getFileName(),
                                OrtOracle.run(model, feeds), ex.run(feeds));
                    }
                }));
            }
        }
        return tests.stream();
    }
}
