package dev.kiln.core.pipeline;

import dev.kiln.core.config.InputParameters.ColorRange;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.core.config.InputParameters.NormType;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.IrVerifier;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.ops.TypeInference;
import dev.kiln.core.testing.OracleCheck;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.kiln.core.pipeline.PreprocessFixtures.H;
import static dev.kiln.core.pipeline.PreprocessFixtures.W;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The original float model fed an int8 intermediate input computes what the source model computes
 * on the normalized float input for the same pixels ({@link InputConversion#sourceModelInput}), for
 * every input_type_train x input_type_rt x input_space_and_range x layout x norm_type, in Kiln and in
 * ONNX Runtime. nv12 is exercised through its yuv444 expansion, as the device delivers it.
 */
class PreprocessEquivalenceTest {
    @TestFactory
    Stream<DynamicTest> originalModelMatchesSourceForEveryCombination() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 1;
        for (Object[] types : PreprocessFixtures.typeCombinations()) {
            for (Layout layout : Layout.values()) {
                for (NormType norm : NormType.values()) {
                    InputSpec spec = PreprocessFixtures.spec((InputType) types[0], layout, (InputType) types[1],
                            (ColorRange) types[2], norm);
                    long s = seed++;
                    String name = types[0] + "<-" + types[1] + " " + types[2] + " " + layout + " " + norm;
                    tests.add(DynamicTest.dynamicTest(name, () -> checkParsed(spec, s)));
                }
            }
        }
        return tests.stream();
    }

    /** The intermediate input in the other layout (as the quantized nv12 model's NHWC input): a Transpose closes the gap. */
    @TestFactory
    Stream<DynamicTest> intermediateLayoutDifferentFromTraining() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 500;
        for (Object[] types : PreprocessFixtures.typeCombinations()) {
            for (Layout train : Layout.values()) {
                Layout inter = train == Layout.NCHW ? Layout.NHWC : Layout.NCHW;
                InputSpec spec = PreprocessFixtures.spec((InputType) types[0], train, (InputType) types[1],
                        (ColorRange) types[2], NormType.DATA_MEAN_AND_SCALE);
                long s = seed++;
                tests.add(DynamicTest.dynamicTest(types[0] + "<-" + types[1] + " " + types[2] + " " + inter + " to " + train,
                        () -> checkInserted(spec, inter, s)));
            }
        }
        return tests.stream();
    }

    private static void checkParsed(InputSpec spec, long seed) throws Exception {
        int c = spec.typeTrain().channels();
        Model source = PreprocessFixtures.convModel(c, spec.layoutTrain());
        ParseStage.Result r = ParseStage.run(PreprocessFixtures.convModel(c, spec.layoutTrain()),
                PreprocessFixtures.params(spec), List.of());
        InputSpec resolved = r.inputs().get(0);
        assertEquals("data", resolved.name());
        int[] trainShape = spec.layoutTrain() == Layout.NCHW ? new int[] {1, c, H, W} : new int[] {1, H, W, c};
        assertArrayEquals(trainShape, resolved.shape());
        compare(source, r.model(), resolved, spec.layoutTrain(), seed);
    }

    private static void checkInserted(InputSpec spec, Layout inter, long seed) throws Exception {
        int c = spec.typeTrain().channels();
        Model source = PreprocessFixtures.convModel(c, spec.layoutTrain());
        Model m = PreprocessFixtures.convModel(c, spec.layoutTrain());
        InputSpec resolved = InputSpecs.resolved(spec, "data", m.graph().inputs().get(0).type().shape());
        List<Node> added = InsertPreprocess.apply(m.graph(), m.graph().inputs().get(0), resolved, inter);
        assertEquals("Transpose", added.get(added.size() - 1).opType());
        TypeInference.run(m);
        compare(source, m, resolved, inter, seed);
    }

    /** Structure, IR, Kiln original vs Kiln source, ONNX Runtime original vs Kiln original. */
    private static void compare(Model source, Model original, InputSpec spec, Layout inter, long seed) throws Exception {
        assertTrue(IrVerifier.check(original.graph()).isEmpty(), () -> IrVerifier.check(original.graph()).toString());
        Value in = original.graph().inputs().get(0);
        int[] interShape = InputSpecs.permute(spec.shape(), spec.layoutTrain(), inter);
        assertEquals(DType.INT8, in.type().dtype());
        assertArrayEquals(interShape, in.type().shape());
        for (Node n : original.graph().nodes()) {
            assertEquals("", n.domain(), n + " is not a standard ONNX operator");
        }
        for (Value.Use u : in.uses()) {
            assertTrue(InsertPreprocess.isPreprocessNode(u.node()), u.node() + " reads the int8 input directly");
            assertTrue(u.node().name().startsWith("PREPROCESS_FOR_data/"), u.node().name());
        }

        Tensor q = PreprocessFixtures.randomIntermediate(seed, interShape);
        Tensor reference = InputConversion.sourceModelInput(q, spec, inter);
        Map<String, Tensor> expected = new Executor(source, 1).run(Map.of("data", reference));
        Map<String, Tensor> kiln = new Executor(original, 1).run(Map.of("data", q));
        for (String out : expected.keySet()) {
            double err = Tolerance.rangeRelativeError(expected.get(out), kiln.get(out));
            assertTrue(err <= Tolerance.ORACLE_RELATIVE_TO_RANGE, "output " + out + " of the original model differs from "
                    + "the source model's by " + err + " of its range");
        }
        OracleCheck.assertAgrees("original float model", OrtOracle.run(original, Map.of("data", q)), kiln);
    }
}
