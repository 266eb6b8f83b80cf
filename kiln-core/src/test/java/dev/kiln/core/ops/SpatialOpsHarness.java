package dev.kiln.core.ops;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One-node models for the pooling and resizing tests: inputs are either fed at run time or baked in
 * as initializers, the node's outputs are the graph outputs, and the same model runs in Kiln and in
 * ONNX Runtime.
 */
final class SpatialOpsHarness {
    private final String opType;
    private final int opset;
    private final Attributes attrs = new Attributes();
    private final List<Object[]> inputs = new ArrayList<>();
    private int outputs = 1;
    private DType[] outputTypes;

    static {
        try {
            // quiet ONNX Runtime's warnings about shapes its own inference predicted differently
            ai.onnxruntime.OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        } catch (RuntimeException e) {
            // an environment already exists; keep it
        }
    }

    private SpatialOpsHarness(String opType, int opset) {
        this.opType = opType;
        this.opset = opset;
    }

    static SpatialOpsHarness node(String opType, int opset) {
        return new SpatialOpsHarness(opType, opset);
    }

    SpatialOpsHarness attr(String name, long v) {
        attrs.put(Attribute.of(name, v));
        return this;
    }

    SpatialOpsHarness attr(String name, float v) {
        attrs.put(Attribute.of(name, v));
        return this;
    }

    SpatialOpsHarness attr(String name, String v) {
        attrs.put(Attribute.of(name, v));
        return this;
    }

    SpatialOpsHarness ints(String name, long... v) {
        attrs.put(Attribute.of(name, v));
        return this;
    }

    SpatialOpsHarness attrFloats(String name, float... v) {
        attrs.put(Attribute.of(name, v));
        return this;
    }

    /** An input fed at run time. */
    SpatialOpsHarness input(Tensor t) {
        inputs.add(new Object[] {t, Boolean.FALSE});
        return this;
    }

    /** An input stored in the model as an initializer (a constant for inference). */
    SpatialOpsHarness constant(Tensor t) {
        inputs.add(new Object[] {t, Boolean.TRUE});
        return this;
    }

    /** An omitted optional input (empty name). */
    SpatialOpsHarness omitted() {
        inputs.add(null);
        return this;
    }

    SpatialOpsHarness outputs(int n) {
        outputs = n;
        return this;
    }

    /** Output element types declared in the model (default: the first input's type). */
    SpatialOpsHarness outputTypes(DType... types) {
        outputTypes = types;
        outputs = types.length;
        return this;
    }

    Model model() {
        Graph g = new Graph("g");
        List<Value> in = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Object[] e = inputs.get(i);
            if (e == null) {
                in.add(null);
                continue;
            }
            Tensor t = (Tensor) e[0];
            if ((Boolean) e[1]) {
                in.add(g.addInitializer("c" + i, new ConstTensor(t)));
            } else {
                in.add(g.addInput("x" + i, TensorType.of(t.dtype(), t.shape())));
            }
        }
        List<String> outNames = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outNames.add("y" + i);
        }
        Node n = g.addNode("n", opType, "", attrs, in, outNames);
        for (int i = 0; i < outputs; i++) {
            DType t = outputTypes != null ? outputTypes[i] : ((Tensor) inputs.get(0)[0]).dtype();
            n.output(i).setType(TensorType.unranked(t));
            g.addOutput(n.output(i));
        }
        Model m = new Model(g);
        m.opsets().put("", (long) opset);
        return m;
    }

    Map<String, Tensor> feeds() {
        Map<String, Tensor> f = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Object[] e = inputs.get(i);
            if (e != null && !(Boolean) e[1]) {
                f.put("x" + i, (Tensor) e[0]);
            }
        }
        return f;
    }

    Tensor[] runKiln(int threads) {
        Map<String, Tensor> r = new Executor(model(), threads).run(feeds());
        Tensor[] out = new Tensor[outputs];
        for (int i = 0; i < outputs; i++) {
            out[i] = r.get("y" + i);
        }
        return out;
    }

    Tensor[] runKiln() {
        return runKiln(1);
    }

    Tensor[] runOrt() throws Exception {
        Map<String, Tensor> r = OrtOracle.run(model(), feeds());
        Tensor[] out = new Tensor[outputs];
        for (int i = 0; i < outputs; i++) {
            out[i] = r.get("y" + i);
        }
        return out;
    }

    /** Runs in both engines and requires equal shapes and values within the oracle tolerance. */
    void assertMatchesOrt(String label) throws Exception {
        Tensor[] expected = runOrt();
        Tensor[] actual = runKiln(2);
        for (int i = 0; i < outputs; i++) {
            assertMatches(label + " output " + i, expected[i], actual[i]);
        }
    }

    static void assertMatches(String label, Tensor expected, Tensor actual) {
        if (!expected.dtype().isFloatingPoint()) {
            assertNull(new Tolerance(0, 0).mismatch(expected, actual), label);
            return;
        }
        assertEquals(expected.dtype(), actual.dtype(), label);
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()), () -> label + ": shape "
                + java.util.Arrays.toString(actual.shape()) + ", expected " + java.util.Arrays.toString(expected.shape()));
        String m = new Tolerance(1e-4, 1e-5).mismatch(expected, actual);
        assertNull(m, label);
    }
}
