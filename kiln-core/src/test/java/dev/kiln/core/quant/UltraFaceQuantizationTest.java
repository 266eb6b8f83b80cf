package dev.kiln.core.quant;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.passes.UpgradeOpset;
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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real detector quantized: UltraFace (opset 9, upgraded) calibrated on face photos; Kiln's
 * integer execution of the quantized model agrees with ONNX Runtime's within one quantization step
 * on >= 99.9 % of output elements (plain max calibration, no graph optimization: the end-to-end
 * accuracy requirement is tested through makertbin).
 */
class UltraFaceQuantizationTest {
    @TestFactory
    Stream<DynamicTest> quantizedUltraFaceAgreesWithOnnxRuntime() throws IOException {
        Path dir = TestData.require("models/ultraface/onnx");
        Path faces = TestData.require("images/faces");
        List<Path> images;
        try (Stream<Path> s = Files.list(faces)) {
            images = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(6).toList();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : List.of("version-RFB-320_without_postprocessing.onnx", "version-slim-320_without_postprocessing.onnx")) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Model m = OnnxImporter.load(dir.resolve(name));
                UpgradeOpset.apply(m, l -> { });
                String input = m.graph().inputs().get(0).name();
                List<Map<String, Tensor>> cal = new ArrayList<>();
                for (Path img : images.subList(0, 5)) {
                    cal.add(Map.of(input, TestImages.rgbNchw(img, 320, 240, 127f, 128f)));
                }
                CalibrationTable table = QuantTestSupport.maxTable(m, cal, true);
                QuantPlan plan = QuantPlan.build(m, QuantPlan.Options.DEFAULT);
                Model q = QdqBuilder.quantized(m, plan, table).model();
                Map<String, Tensor> in = Map.of(input, TestImages.rgbNchw(images.get(5), 320, 240, 127f, 128f));
                Map<String, Tensor> kiln = new Executor(q).run(in);
                Map<String, Tensor> ort = OrtOracle.run(q, in);
                Map<String, Tensor> ref = new Executor(m).run(in);
                for (String out : kiln.keySet()) {
                    Tensor k = kiln.get(out);
                    Tensor o = ort.get(out);
                    float step = (float) (table.get(plan.scaleSource(m.graph().outputs().stream()
                            .filter(v -> v.name().equals(out)).findFirst().orElseThrow()).name()).threshold() / 127.0);
                    int off = 0;
                    for (int i = 0; i < k.size(); i++) {
                        if (Math.abs(k.getFloat(i) - o.getFloat(i)) > step * 1.001f) {
                            off++;
                        }
                    }
                    assertTrue(off * 1000L <= k.size(), name + " output " + out + ": " + off + " of " + k.size()
                            + " elements differ from ONNX Runtime by more than one step");
                    double cos = QuantizedModelTest.cosine(ref.get(out), k);
                    assertTrue(cos > 0.95, name + " output " + out + " cosine with the float model " + cos);
                }
            }));
        }
        return tests.stream();
    }
}
