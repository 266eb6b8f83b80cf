package dev.kiln.core.pipeline;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.InputParameters;
import dev.kiln.core.config.InputParameters.ColorRange;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.core.config.InputParameters.NormType;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.testing.OracleCheck;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kiln.core.pipeline.PreprocessFixtures.RGB_MEAN;
import static dev.kiln.core.pipeline.PreprocessFixtures.RGB_SCALE;
import static dev.kiln.core.pipeline.PreprocessFixtures.params;
import static dev.kiln.core.pipeline.PreprocessFixtures.spec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParseStageTest {
    private static InputSpec rgb(String name, InputType rt, int[] shape) {
        return spec(name, InputType.RGB, Layout.NCHW, rt, ColorRange.REGULAR, NormType.DATA_MEAN_AND_SCALE,
                RGB_MEAN, RGB_SCALE, shape);
    }

    private static InputSpec featuremap(String name) {
        return spec(name, InputType.FEATUREMAP, Layout.NCHW, InputType.FEATUREMAP, null, NormType.NO_PREPROCESS,
                null, null, null);
    }

    /** image [1,3,6,8] → Conv(3→4) + feat [1,4,6,8] → out */
    private static Model twoInputs() {
        GraphBuilder b = new GraphBuilder("two_inputs", 13);
        Value img = b.input("image", DType.FLOAT, 1, 3, 6, 8);
        Value feat = b.input("feat", DType.FLOAT, 1, 4, 6, 8);
        Value y = b.op("Conv", List.of(img, b.weights("w", 0.3f, 4, 3, 1, 1)));
        return b.output(b.op("Add", List.of(y, feat))).build();
    }

    /** A conv model whose input is [batch, 3, height, width] with symbolic dims. */
    private static Model dynamic(boolean onlyBatch) {
        Model m = PreprocessFixtures.convModel(3, Layout.NCHW);
        Value in = m.graph().inputs().get(0);
        Dim[] d = onlyBatch ? new Dim[] {Dim.symbol("batch"), Dim.of(3), Dim.of(6), Dim.of(8)}
                : new Dim[] {Dim.symbol("batch"), Dim.of(3), Dim.symbol("height"), Dim.symbol("width")};
        in.setType(new TensorType(DType.FLOAT, d));
        return m;
    }

    private static String error(Model m, InputParameters p, List<String> outputs) {
        return assertThrows(KilnException.class, () -> ParseStage.run(m, p, outputs)).getMessage();
    }

    private static List<String> opTypes(Model m) {
        return m.graph().nodes().stream().filter(InsertPreprocess::isPreprocessNode).map(Node::opType).toList();
    }

    @Test
    void subgraphHoldsOnlyTheStepsTheConfigurationAsksFor() {
        Model m = ParseStage.run(PreprocessFixtures.convModel(3, Layout.NCHW), params(spec("", InputType.RGB, Layout.NCHW,
                InputType.RGB, null, NormType.NO_PREPROCESS, null, null, null)), List.of()).model();
        assertEquals(List.of("Cast", "Add"), opTypes(m));
        assertEquals("PREPROCESS_FOR_data/cast", m.graph().nodes().get(0).name());

        m = ParseStage.run(PreprocessFixtures.convModel(3, Layout.NCHW), params(rgb("data", InputType.NV12, null)),
                List.of()).model();
        assertEquals(List.of("Cast", "Add", "Conv", "Sub", "Mul"), opTypes(m));
        assertTrue(m.metadata().get("kiln.input.data").contains("intermediate=yuv444_128"), m.metadata().toString());

        m = ParseStage.run(PreprocessFixtures.convModel(3, Layout.NHWC), params(spec("data", InputType.BGR, Layout.NHWC,
                InputType.YUV444, ColorRange.BT601_VIDEO, NormType.DATA_MEAN, RGB_MEAN, null, null)), List.of()).model();
        assertEquals(List.of("Cast", "Add", "MatMul", "Add", "Sub"), opTypes(m));

        m = ParseStage.run(PreprocessFixtures.convModel(3, Layout.NCHW), params(spec("data", InputType.BGR, Layout.NCHW,
                InputType.RGB, null, NormType.DATA_SCALE, new float[] {0}, new float[] {1 / 255f}, null)), List.of()).model();
        assertEquals(List.of("Cast", "Add", "Gather", "Mul"), opTypes(m));
    }

    @Test
    void emptyInputNameMeansTheOnlyInput() {
        ParseStage.Result r = ParseStage.run(PreprocessFixtures.convModel(3, Layout.NCHW),
                params(rgb("", InputType.RGB, null)), List.of());
        assertEquals("data", r.inputs().get(0).name());
        assertEquals(DType.INT8, r.model().graph().inputs().get(0).type().dtype());

        String msg = error(twoInputs(), params(rgb("", InputType.RGB, null)), List.of());
        assertTrue(msg.contains("input_name is empty") && msg.contains("2 inputs") && msg.contains("[image, feat]"), msg);
    }

    @Test
    void unknownOrMissingInputNamesListTheModelsInputs() {
        String msg = error(PreprocessFixtures.convModel(3, Layout.NCHW), params(rgb("img", InputType.RGB, null)), List.of());
        assertTrue(msg.contains("no input 'img'") && msg.contains("[data]"), msg);

        msg = error(twoInputs(), params(rgb("image", InputType.RGB, null)), List.of());
        assertTrue(msg.contains("model input 'feat' is not configured") && msg.contains("[image, feat]"), msg);

        msg = error(twoInputs(), params(rgb("image", InputType.RGB, null), rgb("image", InputType.BGR, null)), List.of());
        assertTrue(msg.contains("'image' is configured twice"), msg);
    }

    @Test
    void imageAndFeaturemapInputsInOneModel() throws Exception {
        Model source = twoInputs();
        ParseStage.Result r = ParseStage.run(twoInputs(), params(featuremap("feat"), rgb("image", InputType.BGR, null)),
                List.of());
        Model m = r.model();
        assertEquals(List.of("feat", "image"), r.inputs().stream().map(InputSpec::name).toList());
        assertEquals(List.of("image", "feat"), m.graph().inputs().stream().map(Value::name).toList(),
                "the model keeps its input order");
        assertEquals(TensorType.of(DType.FLOAT, 1, 4, 6, 8), m.graph().inputs().get(1).type());
        assertEquals(TensorType.of(DType.INT8, 1, 3, 6, 8), m.graph().inputs().get(0).type());
        for (Node n : m.graph().nodes()) {
            assertTrue(!n.name().startsWith("PREPROCESS_FOR_feat"), n.name());
        }
        Tensor q = PreprocessFixtures.randomIntermediate(3, 1, 3, 6, 8);
        Tensor feat = TestTensors.normal(4, 1, 4, 6, 8);
        InputSpec image = r.inputs().get(1);
        Map<String, Tensor> expected = new Executor(source, 1).run(Map.of("image",
                InputConversion.sourceModelInput(q, image), "feat", InputConversion.sourceModelInput(feat, r.inputs().get(0))));
        Map<String, Tensor> kiln = new Executor(m, 1).run(Map.of("image", q, "feat", feat));
        String out = source.graph().outputs().get(0).name();
        assertTrue(Tolerance.rangeRelativeError(expected.get(out), kiln.get(out)) <= Tolerance.ORACLE_RELATIVE_TO_RANGE);
        OracleCheck.assertAgrees("two inputs", OrtOracle.run(m, Map.of("image", q, "feat", feat)), kiln);
    }

    @Test
    void dynamicDimsNeedInputShape() {
        String msg = error(dynamic(false), params(rgb("data", InputType.RGB, null)), List.of());
        assertTrue(msg.contains("input 'data' has dynamic dimensions") && msg.contains("batchx3xheightxwidth")
                && msg.contains("axes [2, 3]") && msg.contains("input_shape"), msg);
    }

    @Test
    void dynamicBatchAloneIsTakenAsOne() {
        ParseStage.Result r = ParseStage.run(dynamic(true), params(rgb("data", InputType.RGB, null)), List.of());
        assertArrayEquals(new int[] {1, 3, 6, 8}, r.inputs().get(0).shape());
        assertEquals(TensorType.of(DType.INT8, 1, 3, 6, 8), r.model().graph().inputs().get(0).type());
        assertEquals(TensorType.of(DType.FLOAT, 1, 2, 6, 8), r.model().graph().outputs().get(0).type());
    }

    @Test
    void inputShapeFixesDynamicDimsAndOverridesStaticOnes() throws Exception {
        ParseStage.Result r = ParseStage.run(dynamic(false), params(rgb("data", InputType.NV12, new int[] {1, 3, 10, 12})),
                List.of());
        assertEquals(TensorType.of(DType.INT8, 1, 3, 10, 12), r.model().graph().inputs().get(0).type());
        assertEquals(TensorType.of(DType.FLOAT, 1, 2, 10, 12), r.model().graph().outputs().get(0).type());

        Model source = dynamic(false); // the same weights, any input size
        Model m = ParseStage.run(PreprocessFixtures.convModel(3, Layout.NCHW),
                params(rgb("data", InputType.RGB, new int[] {1, 3, 4, 4})), List.of()).model();
        Value out = m.graph().outputs().get(0);
        assertEquals(TensorType.of(DType.FLOAT, 1, 2, 4, 4), out.type(), "inferred again, not the old 6x8");
        for (Node n : m.graph().nodes()) {
            for (Value o : n.outputs()) {
                assertTrue(o.type().isStatic() && (o.type().shape()[2] == 4), o.toString());
            }
        }
        Tensor q = PreprocessFixtures.randomIntermediate(9, 1, 3, 4, 4);
        InputSpec s = rgb("data", InputType.RGB, new int[] {1, 3, 4, 4});
        Map<String, Tensor> expected = new Executor(source, 1).run(Map.of("data", InputConversion.sourceModelInput(q, s)));
        Map<String, Tensor> kiln = new Executor(m, 1).run(Map.of("data", q));
        assertTrue(Tolerance.rangeRelativeError(expected.get(out.name()), kiln.get(out.name())) <= 1e-4);
        OracleCheck.assertAgrees("input_shape 1x3x4x4", OrtOracle.run(m, Map.of("data", q)), kiln);

        String msg = error(PreprocessFixtures.convModel(3, Layout.NCHW),
                params(rgb("data", InputType.RGB, new int[] {3, 6, 8})), List.of());
        assertTrue(msg.contains("input_shape of input 'data' is 3x6x8 (rank 3)") && msg.contains("rank 4"), msg);
    }

    @Test
    void wrongChannelCountsAreReported() {
        String msg = error(PreprocessFixtures.convModel(3, Layout.NCHW), params(spec("data", InputType.GRAY, Layout.NCHW,
                InputType.GRAY, null, NormType.NO_PREPROCESS, null, null, null)), List.of());
        assertTrue(msg.contains("3 channel(s) on axis 1") && msg.contains("input_type_train gray has 1"), msg);

        msg = error(PreprocessFixtures.convModel(3, Layout.NCHW), params(spec("data", InputType.RGB, Layout.NHWC,
                InputType.RGB, null, NormType.NO_PREPROCESS, null, null, null)), List.of());
        assertTrue(msg.contains("8 channel(s) on axis 3 (input_layout_train NHWC)"), msg);

        msg = error(PreprocessFixtures.convModel(1, Layout.NCHW), params(rgb("data", InputType.RGB, null)), List.of());
        assertTrue(msg.contains("1 channel(s) on axis 1") && msg.contains("rgb has 3"), msg);

        msg = error(PreprocessFixtures.convModel(3, Layout.NCHW), params(spec("data", InputType.RGB, Layout.NCHW,
                InputType.RGB, null, NormType.DATA_MEAN, new float[] {1, 2}, null, null)), List.of());
        assertTrue(msg.contains("mean_value has 2 values") && msg.contains("one per channel (3)"), msg);
    }

    @Test
    void invalidCombinationsAreReported() {
        String msg = error(PreprocessFixtures.convModel(1, Layout.NCHW), params(spec("data", InputType.GRAY, Layout.NCHW,
                InputType.RGB, null, NormType.NO_PREPROCESS, null, null, null)), List.of());
        assertTrue(msg.contains("input_type_rt rgb cannot feed input_type_train gray"), msg);

        msg = error(PreprocessFixtures.convModel(3, Layout.NCHW), params(rgb("data", InputType.NV12, new int[] {1, 3, 5, 8})),
                List.of());
        assertTrue(msg.contains("nv12 needs an even height and width") && msg.contains("5x8"), msg);

        msg = error(PreprocessFixtures.convModel(3, Layout.NCHW), params(spec("data", InputType.FEATUREMAP, Layout.NCHW,
                InputType.FEATUREMAP, null, NormType.DATA_MEAN, new float[] {1}, null, null)), List.of());
        assertTrue(msg.contains("featuremap input gets no preprocessing"), msg);

        msg = error(PreprocessFixtures.convModel(3, Layout.NCHW), params(spec("data", InputType.RGB, Layout.NCHW,
                InputType.RGB, null, NormType.DATA_SCALE, null, null, null)), List.of());
        assertTrue(msg.contains("norm_type data_scale needs scale_value"), msg);

        GraphBuilder b = new GraphBuilder("u8", 13);
        Value x = b.input("data", DType.UINT8, 1, 3, 4, 4);
        Model u8 = b.output(b.op("Cast", x, GraphBuilder.i("to", DType.FLOAT.onnxCode()))).build();
        msg = error(u8, params(rgb("data", InputType.RGB, null)), List.of());
        assertTrue(msg.contains("must be float32"), msg);
    }

    @Test
    void outputNodesBecomeTheModelOutputs() throws Exception {
        Model m = PreprocessFixtures.convModel(3, Layout.NCHW);
        Node relu = m.graph().nodes().stream().filter(n -> n.opType().equals("Relu")).findFirst().orElseThrow();
        int initializers = m.graph().initializers().size();
        ParseStage.run(m, params(rgb("data", InputType.RGB, null)), List.of(relu.name()));
        assertEquals(List.of(relu.output(0)), m.graph().outputs());
        assertEquals(TensorType.of(DType.FLOAT, 1, 4, 6, 8), relu.output(0).type());
        assertEquals(0, m.graph().nodes().stream().filter(n -> n.opType().equals("Conv")
                && n.input(0).producer() != null && n.input(0).producer().opType().equals("Relu")).count(),
                "the second Conv no output needs is gone");
        // w2 and b2 went with it; the preprocessing added its own constants
        assertNull(m.graph().localValue("w2"));
        assertTrue(m.graph().initializers().size() >= initializers - 2);
        Tensor q = PreprocessFixtures.randomIntermediate(5, 1, 3, 6, 8);
        OracleCheck.assertAgrees("cut at Relu", OrtOracle.run(m, Map.of("data", q)), new Executor(m, 1).run(Map.of("data", q)));

        Model byValue = PreprocessFixtures.convModel(3, Layout.NCHW);
        String convOut = byValue.graph().nodes().get(0).output(0).name();
        String reluOut = byValue.graph().nodes().get(1).output(0).name();
        ParseStage.run(byValue, params(rgb("data", InputType.RGB, null)), List.of(reluOut, convOut));
        assertEquals(List.of(reluOut, convOut), byValue.graph().outputs().stream().map(Value::name).toList());

        String msg = error(PreprocessFixtures.convModel(3, Layout.NCHW), params(rgb("data", InputType.RGB, null)),
                List.of("nope"));
        assertTrue(msg.contains("output_nodes: 'nope' is neither a node nor a value"), msg);
    }

    @Test
    void shapeInferenceFailuresNameTheInputShape() {
        GraphBuilder b = new GraphBuilder("fixed_reshape", 13);
        Value x = b.input("data", DType.FLOAT, 1, 3, 4, 4);
        Model m = b.output(b.op("Reshape", List.of(x, b.constant("shape", Tensor.vector(1, 48))))).build();
        String msg = error(m, params(rgb("data", InputType.RGB, new int[] {1, 3, 6, 6})), List.of());
        assertTrue(msg.contains("does not accept the input shape(s) data 1x3x6x6"), msg);
    }
}
