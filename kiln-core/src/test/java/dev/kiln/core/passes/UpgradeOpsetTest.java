package dev.kiln.core.passes;

import dev.kiln.core.conformance.OnnxBackendSuiteTest;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.IrVerifier;
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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The opset upgrade keeps outputs unchanged: every ONNX backend case written for opset 7-12 (run
 * upgraded against its golden outputs) and the real opset-9 models (upgraded vs original, in Kiln and
 * in ONNX Runtime).
 */
class UpgradeOpsetTest {
    @TestFactory
    Stream<DynamicTest> backendCasesStillMatchTheirGoldenOutputs() throws IOException {
        Path root = TestData.require("onnx-backend");
        Map<String, String> excluded = OnnxBackendSuiteTest.exclusions();
        List<DynamicTest> tests = new ArrayList<>();
        for (String suite : List.of("node", "pytorch-converted", "pytorch-operator", "simple")) {
            Path dir = root.resolve(suite);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path c : s.sorted().toList()) {
                    String key = suite + "/" + c.getFileName();
                    if (!Files.exists(c.resolve("model.onnx")) || excluded.containsKey(key)) {
                        continue;
                    }
                    Model probe;
                    try {
                        probe = OnnxImporter.load(c.resolve("model.onnx"));
                    } catch (RuntimeException e) {
                        continue;
                    }
                    int v = probe.opset("");
                    for (int target : new int[] {UpgradeOpset.TARGET, UpgradeOpset.INT16_TARGET}) {
                    if (v < 7 || v >= target) {
                        continue;
                    }
                    tests.add(DynamicTest.dynamicTest(key + " (opset " + v + " to " + target + ")", () ->
                            OnnxBackendSuiteTest.runCase(c, m -> {
                                try {
                                    UpgradeOpset.apply(m, target, line -> { });
                                } catch (dev.kiln.core.KilnException e) {
                                    Assumptions.assumeFalse(e.getMessage().contains("cannot be upgraded"), e.getMessage());
                                    throw e;
                                }
                                assertEquals(List.of(), IrVerifier.check(m.graph()));
                            })));
                    }
                }
            }
        }
        Assumptions.assumeFalse(tests.isEmpty(), "no backend cases below opset 13");
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> realOpset9ModelsKeepTheirOutputs() throws IOException {
        List<Path> models = new ArrayList<>();
        if (TestData.has("models/ultraface/onnx")) {
            try (Stream<Path> s = Files.list(TestData.root().resolve("models/ultraface/onnx"))) {
                models.addAll(s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList());
            }
        }
        Path example = Path.of("../examples/ppocr-cls/ch_ppocr_mobile_v2.0_cls_infer.onnx");
        if (Files.exists(example)) {
            models.add(example);
        }
        Assumptions.assumeFalse(models.isEmpty(), "no opset-9 models found");
        return models.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Model original = OnnxImporter.load(p);
            Model upgraded = OnnxImporter.load(p);
            UpgradeOpset.apply(upgraded, line -> { });
            assertEquals(List.of(), IrVerifier.check(upgraded.graph()));
            int[] dyn = p.getFileName().toString().startsWith("ch_ppocr") ? new int[] {1, 3, 48, 192} : null;
            Map<String, Tensor> in = ModelInputs.random(original, 3, dyn);
            Map<String, Tensor> before = new Executor(original).run(in);
            OracleCheck.assertAgrees(p.getFileName() + " upgraded, in Kiln", before, new Executor(upgraded).run(in));
            OracleCheck.assertAgrees(p.getFileName() + " upgraded, in ONNX Runtime", before, OrtOracle.run(upgraded, in));
        }));
    }
}
