package dev.kiln.core.pipeline;

import dev.kiln.core.config.InputParameters.ColorRange;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.core.config.InputParameters.NormType;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.testing.OracleCheck;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestData;
import dev.kiln.core.testing.TestImages;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real UltraFace RFB-320 detector (trained on RGB, (x - 127) / 128, NCHW 1x3x240x320) with a real
 * photo: for each run-time input type its original float model, fed the intermediate input made from
 * the photo, gives the source model's outputs on the normalized photo, in Kiln and in ONNX Runtime.
 */
class UltraFacePreprocessTest {
    private static Path model;
    private static Tensor photo;
    private static Executor source;

    @BeforeAll
    static void load() throws Exception {
        if (!TestData.has("models/ultraface/onnx/version-RFB-320.onnx") || !TestData.has("images/faces/3.jpg")) {
            return;
        }
        model = TestData.require("models/ultraface/onnx/version-RFB-320.onnx");
        photo = TestImages.rgbBytes(TestData.require("images/faces/3.jpg"), 320, 240);
        source = new Executor(OnnxImporter.load(model), 2);
    }

    @TestFactory
    Stream<DynamicTest> originalFloatModelMatchesTheSourceOnAPhoto() {
        TestData.require("models/ultraface/onnx/version-RFB-320.onnx");
        TestData.require("images/faces/3.jpg");
        List<DynamicTest> tests = new ArrayList<>();
        for (InputType rt : new InputType[] {InputType.RGB, InputType.BGR, InputType.YUV444, InputType.NV12}) {
            for (ColorRange range : rt == InputType.NV12 ? ColorRange.values() : new ColorRange[] {ColorRange.REGULAR}) {
                tests.add(DynamicTest.dynamicTest(rt.key() + " " + range, () -> check(rt, range)));
            }
        }
        return tests.stream();
    }

    private static void check(InputType rt, ColorRange range) throws Exception {
        InputSpec spec = PreprocessFixtures.spec("", InputType.RGB, Layout.NCHW, rt, range, NormType.DATA_MEAN_AND_SCALE,
                new float[] {127f}, new float[] {1f / 128}, null);
        ParseStage.Result r = ParseStage.run(OnnxImporter.load(model), PreprocessFixtures.params(spec), List.of());
        InputSpec resolved = r.inputs().get(0);
        assertEquals("input", resolved.name());
        Tensor q = InputConversion.fromImage(photo, resolved);
        Tensor normalized = InputConversion.sourceModelInput(q, resolved);
        if (rt == InputType.RGB) {
            // the same pixels as the established evaluation path, exactly
            Tensor expected = TestImages.rgbNchw(TestData.require("images/faces/3.jpg"), 320, 240, 127f, 128f);
            assertTrue(Tolerance.rangeRelativeError(expected, normalized) < 1e-6);
        }
        Map<String, Tensor> reference = source.run(Map.of("input", normalized));
        Map<String, Tensor> kiln = new Executor(r.model(), 2).run(Map.of("input", q));
        for (String out : reference.keySet()) {
            double err = Tolerance.rangeRelativeError(reference.get(out), kiln.get(out));
            assertTrue(err <= Tolerance.ORACLE_RELATIVE_TO_RANGE, rt.key() + ": output " + out + " differs from the source "
                    + "model's by " + err + " of its range");
        }
        OracleCheck.assertAgrees("UltraFace original float model, " + rt.key(), OrtOracle.run(r.model(), Map.of("input", q)),
                kiln);
    }
}
