package dev.kiln.core.quant;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.IrVerifier;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.testing.ModelInputs;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.kiln.core.testing.GraphBuilder.i;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quantizer's artefacts on a built CNN: both run in ONNX Runtime; Kiln's integer execution of
 * the quantized model agrees with ONNX Runtime's within one quantization step on >= 99.9 % of the
 * output elements (SPEC section 8), and stays close to the float model.
 */
class QuantizedModelTest {
    static Model cnn() {
        GraphBuilder b = new GraphBuilder("cnn", 13);
        Value x = b.input("x", DType.FLOAT, 1, 3, 32, 32);
        Value c1 = b.op("Relu", b.op("Conv", List.of(x, b.weights("w1", 0.3f, 16, 3, 3, 3), b.weights("b1", 0.1f, 16)),
                ints("pads", 1, 1, 1, 1)));
        Value p = b.op("MaxPool", c1, ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        Value c2 = b.op("Conv", List.of(p, b.weights("w2", 0.1f, 16, 16, 3, 3), b.weights("b2", 0.1f, 16)),
                ints("pads", 1, 1, 1, 1));
        Value dw = b.op("Conv", List.of(p, b.weights("w3", 0.3f, 16, 1, 3, 3), b.weights("b3", 0.1f, 16)),
                ints("pads", 1, 1, 1, 1), i("group", 16));
        Value sum = b.op("Relu", b.op("Add", List.of(c2, dw)));
        Value sig = b.op("Sigmoid", sum);
        Value gap = b.op("GlobalAveragePool", sig);
        Value flat = b.op("Flatten", gap);
        Value fc = b.op("Gemm", List.of(flat, b.weights("wf", 0.3f, 10, 16), b.weights("bf", 0.1f, 10)), i("transB", 1));
        return b.output(fc).build();
    }

    static List<Map<String, Tensor>> samples(Model m, int n) {
        List<Map<String, Tensor>> s = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            s.add(ModelInputs.random(m, 100 + k));
        }
        return s;
    }

    @Test
    void integerExecutionAgreesWithOnnxRuntime() throws Exception {
        Model m = cnn();
        List<Map<String, Tensor>> cal = samples(m, 8);
        CalibrationTable table = QuantTestSupport.maxTable(m, cal, true);
        QuantPlan plan = QuantPlan.build(m, QuantPlan.Options.DEFAULT);
        Model q = QdqBuilder.quantized(m, plan, table).model();
        Model c = QdqBuilder.calibrated(m, plan, table).model();
        assertEquals(List.of(), IrVerifier.check(q.graph()));
        assertEquals(List.of(), IrVerifier.check(c.graph()));
        Map<String, Tensor> in = ModelInputs.random(m, 7);
        Tensor ref = new Executor(m).run(in).values().iterator().next();
        Executor qex = new Executor(q);
        List<String> steps = qex.steps();
        for (String op : List.of("int Conv+Relu", "int Conv)", "int Add+Relu", "int MaxPool", "int Sigmoid", "int Gemm",
                "int Flatten", "int GlobalAveragePool")) {
            assertTrue(steps.stream().anyMatch(s -> s.contains(op)), "integer step " + op + " in " + steps);
        }
        Tensor kilnQ = qex.run(in).values().iterator().next();
        Tensor ortQ = OrtOracle.run(q, in).values().iterator().next();
        Tensor ortC = OrtOracle.run(c, in).values().iterator().next();
        Tensor kilnC = new Executor(c).run(in).values().iterator().next();
        float step = (float) (table.get(m.graph().outputs().get(0).name()).threshold() / 127.0);
        int off = 0;
        for (int i = 0; i < kilnQ.size(); i++) {
            if (Math.abs(kilnQ.getFloat(i) - ortQ.getFloat(i)) > step * 1.001f) {
                off++;
            }
        }
        assertTrue(off <= kilnQ.size() / 1000, off + " of " + kilnQ.size() + " outputs differ from ONNX Runtime by more than one step");
        assertTrue(cosine(ref, kilnQ) > 0.99, "quantized output cosine " + cosine(ref, kilnQ));
        assertTrue(cosine(ortC, kilnC) > 0.9999, "calibrated model, Kiln vs ONNX Runtime " + cosine(ortC, kilnC));
    }

    static double cosine(Tensor a, Tensor b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.size(); i++) {
            double x = a.getDouble(i);
            double y = b.getDouble(i);
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
        return ab / Math.sqrt(aa * bb + 1e-30);
    }
}
