package dev.kiln.core.conformance;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.io.onnx.OnnxTensors;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.TestData;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The ONNX backend conformance suite (node, pytorch-converted, pytorch-operator, simple): one test
 * per case, compared with the case's golden outputs at the suite's tolerance. Cases listed in
 * {@code onnx-backend-exclusions.txt} are reported as skipped with the listed reason.
 */
public class OnnxBackendSuiteTest {
    private static final List<String> SUITES = List.of("node", "pytorch-converted", "pytorch-operator", "simple");

    @TestFactory
    Stream<DynamicNode> backendSuite() throws IOException {
        Path root = TestData.require("onnx-backend");
        Map<String, String> excluded = exclusions();
        // -Dkiln.backend.filter=REGEX runs only the cases whose suite/name matches
        String filter = System.getProperty("kiln.backend.filter", "");
        java.util.regex.Pattern only = filter.isBlank() ? null : java.util.regex.Pattern.compile(filter);
        List<DynamicNode> suites = new ArrayList<>();
        for (String suite : SUITES) {
            Path dir = root.resolve(suite);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<DynamicNode> cases = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                for (Path c : s.sorted().toList()) {
                    if (!Files.exists(c.resolve("model.onnx"))) {
                        continue;
                    }
                    String name = c.getFileName().toString();
                    if (only != null && !only.matcher(suite + "/" + name).find()) {
                        continue;
                    }
                    String reason = excluded.get(suite + "/" + name);
                    if (reason == null) {
                        reason = excluded.get(name);
                    }
                    String why = reason;
                    cases.add(DynamicTest.dynamicTest(name, () -> {
                        Assumptions.assumeTrue(why == null, () -> "excluded: " + why);
                        runCase(c);
                    }));
                }
            }
            suites.add(DynamicContainer.dynamicContainer(suite, cases));
        }
        return suites.stream();
    }

    /** Case name (optionally suite/name) to reason, from the checked-in exclusion file. */
    public static Map<String, String> exclusions() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = OnnxBackendSuiteTest.class.getResourceAsStream("/onnx-backend-exclusions.txt")) {
            if (in == null) {
                return out;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] parts = l.split("\\s+", 2);
                out.put(parts[0], parts.length > 1 ? parts[1] : "no reason given");
            }
        }
        return out;
    }

    /**
     * onnx 1.12's test data stores bfloat16 tensors as uint16 bit patterns; read them as the
     * bfloat16 values the model declares.
     */
    static Tensor asDeclared(Tensor t, Value declared) {
        if (declared == null || t.dtype() != dev.kiln.runtime.tensor.DType.UINT16
                || declared.type().dtype() != dev.kiln.runtime.tensor.DType.BFLOAT16) {
            return t;
        }
        Tensor b = Tensor.allocate(dev.kiln.runtime.tensor.DType.BFLOAT16, t.shape());
        for (int i = 0; i < t.size(); i++) {
            b.floats()[i] = dev.kiln.runtime.tensor.Half.bf16ToFloat(t.shorts()[i]);
        }
        return b;
    }

    public static void runCase(Path caseDir) {
        runCase(caseDir, m -> { });
    }

    /** Runs a case after transforming its model (e.g. upgrading its opset). */
    public static void runCase(Path caseDir, java.util.function.Consumer<Model> transform) {
        try {
            runCaseUnchecked(caseDir, transform);
        } catch (org.opentest4j.TestAbortedException e) {
            throw e;
        } catch (AssertionError | Exception e) {
            throw new AssertionError(caseDir.getParent().getFileName() + "/" + caseDir.getFileName() + ": " + e.getMessage(), e);
        }
    }

    static void runCaseUnchecked(Path caseDir, java.util.function.Consumer<Model> transform) throws IOException {
        Model model = OnnxImporter.load(caseDir.resolve("model.onnx"));
        transform.accept(model);
        dev.kiln.core.ir.IrVerifier.verify(model.graph());
        Executor ex = new Executor(model, 1);
        List<Path> sets;
        try (Stream<Path> s = Files.list(caseDir)) {
            sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        for (Path set : sets) {
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            List<Value> graphInputs = model.graph().inputs();
            for (int i = 0; ; i++) {
                Path f = set.resolve("input_" + i + ".pb");
                if (!Files.exists(f)) {
                    break;
                }
                String name = OnnxTensors.pbName(f);
                if (name.isEmpty() || model.graph().localValue(name) == null) {
                    name = graphInputs.get(i).name();
                }
                inputs.put(name, asDeclared(OnnxTensors.readPb(f), model.graph().localValue(name)));
            }
            Map<String, Tensor> out = ex.run(inputs);
            List<Tensor> actual = new ArrayList<>(out.values());
            for (int i = 0; ; i++) {
                Path f = set.resolve("output_" + i + ".pb");
                if (!Files.exists(f)) {
                    assertEquals(i, actual.size(), "number of outputs");
                    break;
                }
                Tensor expected = asDeclared(OnnxTensors.readPb(f), model.graph().outputs().get(i));
                String problem = Tolerance.BACKEND_SUITE.mismatch(expected, actual.get(i));
                if (problem != null) {
                    fail(set.getFileName() + " output " + i + " (" + model.graph().outputs().get(i).name() + "): " + problem);
                }
            }
        }
    }
}
