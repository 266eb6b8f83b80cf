package dev.kiln.core.models;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.testing.ModelInputs;
import dev.kiln.core.testing.OracleCheck;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.kiln.core.testing.GraphBuilder.f;
import static dev.kiln.core.testing.GraphBuilder.i;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static dev.kiln.core.testing.GraphBuilder.s;

/**
 * Models built in Java that exercise what real networks combine — residual blocks, grouped,
 * dilated and strided convolutions, Resize in all its modes, LayerNorm spelled out as
 * ReduceMean/Pow/Sqrt, LSTM — run by Kiln and by ONNX Runtime on the same seeded inputs.
 */
class BuiltModelsTest {
    private static void check(String what, Model m) throws Exception {
        Map<String, Tensor> in = ModelInputs.random(m, 3);
        OracleCheck.assertAgrees(what, OrtOracle.run(m, in), new Executor(m, 2).run(in));
    }

    @Test
    void residualBlocks() throws Exception {
        GraphBuilder b = new GraphBuilder("residual", 13);
        Value x = b.input("x", DType.FLOAT, 2, 16, 20, 20);
        Value h = x;
        for (int blk = 0; blk < 2; blk++) {
            Value c1 = b.op("Conv", List.of(h, b.weights("w1_" + blk, 0.1f, 16, 16, 3, 3), b.weights("b1_" + blk, 0.1f, 16)),
                    ints("pads", 1, 1, 1, 1));
            Value bn = b.op("BatchNormalization", List.of(c1, b.weights("g" + blk, 1f, 16), b.weights("be" + blk, 1f, 16),
                    b.weights("m" + blk, 0.1f, 16), b.constant("v" + blk, Tensor.of(filled(16, 1.5f), 16))), f("epsilon", 1e-5f));
            Value r = b.op("Relu", bn);
            Value c2 = b.op("Conv", List.of(r, b.weights("w2_" + blk, 0.1f, 16, 16, 3, 3)), ints("pads", 1, 1, 1, 1));
            h = b.op("Relu", b.op("Add", List.of(c2, h)));
        }
        check("residual blocks", b.output(h).build());
    }

    private static float[] filled(int n, float v) {
        float[] f = new float[n];
        Arrays.fill(f, v);
        return f;
    }

    @TestFactory
    Stream<DynamicTest> convolutionVariants() {
        // in shape, weight shape, attributes
        List<Object[]> cases = List.of(
                new Object[] {new int[] {1, 8, 17, 19}, new int[] {12, 2, 3, 3}, new Object[] {"group", 4, "strides", new int[] {2, 2}, "pads", new int[] {1, 0, 2, 1}}},
                new Object[] {new int[] {2, 6, 15, 15}, new int[] {6, 3, 3, 3}, new Object[] {"group", 2, "dilations", new int[] {2, 3}, "pads", new int[] {2, 3, 2, 3}}},
                new Object[] {new int[] {1, 8, 16, 16}, new int[] {8, 1, 3, 3}, new Object[] {"group", 8, "strides", new int[] {2, 2}, "pads", new int[] {1, 1, 1, 1}}},
                new Object[] {new int[] {1, 4, 12, 12}, new int[] {12, 1, 5, 5}, new Object[] {"group", 4, "auto_pad", "SAME_UPPER"}},
                new Object[] {new int[] {1, 3, 11, 13}, new int[] {5, 3, 4, 2}, new Object[] {"auto_pad", "SAME_LOWER", "strides", new int[] {3, 2}}},
                new Object[] {new int[] {1, 3, 11, 13}, new int[] {5, 3, 3, 3}, new Object[] {"auto_pad", "VALID", "strides", new int[] {2, 3}}},
                new Object[] {new int[] {1, 300, 9, 9}, new int[] {70, 300, 1, 1}, new Object[] {}},
                new Object[] {new int[] {1, 32, 10, 10}, new int[] {64, 32, 1, 1}, new Object[] {"strides", new int[] {2, 2}}},
                new Object[] {new int[] {2, 4, 31}, new int[] {6, 2, 5}, new Object[] {"group", 2, "dilations", new int[] {2}, "pads", new int[] {4, 1}}},
                new Object[] {new int[] {1, 2, 7, 8, 9}, new int[] {4, 2, 3, 3, 3}, new Object[] {"strides", new int[] {2, 1, 2}, "pads", new int[] {1, 1, 1, 0, 1, 1}}},
                new Object[] {new int[] {1, 3, 224, 224}, new int[] {16, 3, 7, 7}, new Object[] {"strides", new int[] {2, 2}, "pads", new int[] {3, 3, 3, 3}}});
        List<DynamicTest> tests = new ArrayList<>();
        for (Object[] c : cases) {
            int[] xs = (int[]) c[0];
            int[] ws = (int[]) c[1];
            Object[] attrs = (Object[]) c[2];
            String name = "x" + Arrays.toString(xs) + " w" + Arrays.toString(ws) + " " + Arrays.deepToString(attrs);
            tests.add(DynamicTest.dynamicTest(name, () -> {
                GraphBuilder b = new GraphBuilder("conv", 13);
                Value x = b.input("x", DType.FLOAT, xs);
                List<dev.kiln.core.ir.Attribute> at = new ArrayList<>();
                for (int k = 0; k < attrs.length; k += 2) {
                    String n = (String) attrs[k];
                    Object v = attrs[k + 1];
                    at.add(v instanceof int[] ? ints(n, (int[]) v) : v instanceof String ? s(n, (String) v) : i(n, (Integer) v));
                }
                Value y = b.op("Conv", List.of(x, b.weights("w", 0.2f, ws), b.weights("b", 0.2f, ws[0])),
                        at.toArray(new dev.kiln.core.ir.Attribute[0]));
                check(name, b.output(b.op("Relu", y)).build());
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> resizeModes() {
        List<DynamicTest> tests = new ArrayList<>();
        String[] coords = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn"};
        String[] nearest = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
        float[][] scales = {{1, 1, 2, 2}, {1, 1, 0.6f, 1.7f}};
        for (float[] sc : scales) {
            for (String coord : coords) {
                for (String mode : new String[] {"nearest", "linear", "cubic"}) {
                    String[] nms = mode.equals("nearest") ? nearest : new String[] {"round_prefer_floor"};
                    if (!mode.equals("nearest") && coord.equals("tf_half_pixel_for_nn")) {
                        continue;
                    }
                    for (String nm : nms) {
                        String name = mode + " " + coord + " " + nm + " scales " + Arrays.toString(sc);
                        tests.add(DynamicTest.dynamicTest(name, () -> {
                            GraphBuilder b = new GraphBuilder("resize", 13);
                            Value x = b.input("x", DType.FLOAT, 1, 3, 10, 12);
                            Value y = b.op("Resize", Arrays.asList(x, null, b.floats("scales", sc)),
                                    s("mode", mode), s("coordinate_transformation_mode", coord), s("nearest_mode", nm));
                            check(name, b.output(y).build());
                        }));
                    }
                }
            }
        }
        return tests.stream();
    }

    @Test
    void layerNormSpelledOut() throws Exception {
        GraphBuilder b = new GraphBuilder("layernorm", 13);
        Value x = b.input("x", DType.FLOAT, 2, 7, 64);
        Value mean = b.op("ReduceMean", x, ints("axes", -1));
        Value d = b.op("Sub", List.of(x, mean));
        Value var = b.op("ReduceMean", b.op("Pow", List.of(d, b.floats("two", 2f))), ints("axes", -1));
        Value std = b.op("Sqrt", b.op("Add", List.of(var, b.floats("eps", 1e-5f))));
        Value y = b.op("Add", List.of(b.op("Mul", List.of(b.op("Div", List.of(d, std)), b.weights("gamma", 1f, 64))),
                b.weights("beta", 1f, 64)));
        check("LayerNorm as ReduceMean/Pow/Sqrt", b.output(y).build());
    }

    @Test
    void bidirectionalLstm() throws Exception {
        GraphBuilder b = new GraphBuilder("lstm", 13);
        int seq = 9, batch = 3, in = 10, hidden = 16;
        Value x = b.input("x", DType.FLOAT, seq, batch, in);
        var lstm = b.node("LSTM", List.of(x, b.weights("W", 0.3f, 2, 4 * hidden, in), b.weights("R", 0.3f, 2, 4 * hidden, hidden),
                b.weights("B", 0.3f, 2, 8 * hidden)), 3, i("hidden_size", hidden), s("direction", "bidirectional"));
        check("bidirectional LSTM", b.output(lstm.output(0), lstm.output(1), lstm.output(2)).build());
    }
}
