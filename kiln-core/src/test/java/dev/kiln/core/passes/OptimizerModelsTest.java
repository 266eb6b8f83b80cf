package dev.kiln.core.passes;

import dev.kiln.core.io.onnx.OnnxExporter;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.ModelInputs;
import dev.kiln.core.testing.OracleCheck;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestData;
import dev.kiln.core.testing.TestImages;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole optimizer on real models: the UltraFace detectors on a real photo, and the torchvision
 * exports in KILN_MODELS (skipped when unset) on seeded random inputs. Each must keep its outputs
 * (names and values within the pass tolerance), lose nodes, and still run in ONNX Runtime.
 */
class OptimizerModelsTest {
    @TestFactory
    Stream<DynamicTest> ultraFaceKeepsItsOutputs() throws IOException {
        Path dir = TestData.require("models/ultraface/onnx");
        Path photo = firstImage(TestData.require("images/faces"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Path model : onnxFiles(dir)) {
            tests.add(DynamicTest.dynamicTest(model.getFileName().toString(), () -> {
                Model m = OnnxImporter.load(model);
                String input = m.graph().inputs().get(0).name();
                Map<String, Tensor> feeds = Map.of(input, TestImages.rgbNchw(photo, 320, 240, 127f, 128f));
                String name = model.getFileName().toString();
                // onnx-simplifier's versions have nothing left to remove
                int optimizedNodes = checkOptimizer(model, m, feeds, !name.contains("_simplified"));
                // and they are the models without the box decoding
                Path simplified = dir.resolve(name.replace("_without_postprocessing.onnx", "_simplified.onnx"));
                if (name.contains("_without_postprocessing") && Files.exists(simplified)) {
                    int reference = OnnxImporter.load(simplified).graph().nodes().size();
                    assertTrue(optimizedNodes <= reference, name + ": " + optimizedNodes
                            + " nodes after optimization; onnx-simplifier's version of the model has " + reference);
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> exportedModelsKeepTheirOutputs() throws IOException {
        String dir = System.getenv("KILN_MODELS");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "KILN_MODELS is not set: no exported torchvision models to optimize (see scripts/test.sh)");
        return onnxFiles(Path.of(dir)).stream().map(model -> DynamicTest.dynamicTest(model.getFileName().toString(), () -> {
            Model m = OnnxImporter.load(model);
            for (Value in : m.graph().inputs()) {
                Assumptions.assumeTrue(in.type().isStatic(), model.getFileName() + ": input " + in.name()
                        + " has dynamic dims (makertbin fixes them with input_shape first)");
            }
            checkOptimizer(model, m, ModelInputs.random(m, 17), true);
        }));
    }

    /** Optimizes m (loaded from file) and checks it against the original; returns its node count. */
    private static int checkOptimizer(Path file, Model m, Map<String, Tensor> feeds, boolean mustShrink) throws Exception {
        String name = file.getFileName().toString();
        Map<String, Tensor> before = PassChecks.run(m, feeds);
        List<String> outputs = PassChecks.outputNames(m);
        PassChecks.RecordingLog log = new PassChecks.RecordingLog();
        PassManager.Result r = Optimizer.standardManager().withVerification(true).run(m, log);
        assertTrue(r.converged(), name + ": no fixed point after " + r.rounds() + " rounds");
        if (mustShrink) {
            assertTrue(r.nodesAfter() < r.nodesBefore(), name + ": " + r.nodesBefore() + " -> " + r.nodesAfter() + " nodes");
            assertFalse(log.info.isEmpty(), name + ": no summary lines");
            assertTrue(log.info.get(0).startsWith("Summary info for "), log.info.get(0));
        } else {
            assertTrue(r.nodesAfter() <= r.nodesBefore(), name + ": " + r.nodesBefore() + " -> " + r.nodesAfter() + " nodes");
        }
        assertEquals(outputs, PassChecks.outputNames(m), name + ": output names");
        Map<String, Tensor> after = PassChecks.run(m, feeds);
        PassChecks.assertSameModelOutputs(name + " optimized", before, after);
        Path tmp = Files.createTempFile("kiln-optimized-", ".onnx");
        try {
            OnnxExporter.save(m, tmp);
            OracleCheck.assertAgrees(name + " optimized, in ONNX Runtime", OrtOracle.run(tmp, feeds), before);
        } finally {
            Files.deleteIfExists(tmp);
        }
        System.out.println(name + ": " + r.nodesBefore() + " -> " + r.nodesAfter() + " nodes in " + r.rounds() + " rounds; "
                + String.join("; ", log.info));
        return r.nodesAfter();
    }

    private static List<Path> onnxFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
        }
    }

    private static Path firstImage(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().toLowerCase().matches(".*\\.(jpg|jpeg|png)$")).sorted().findFirst()
                    .orElseThrow(() -> new IOException("no photo in " + dir));
        }
    }
}
