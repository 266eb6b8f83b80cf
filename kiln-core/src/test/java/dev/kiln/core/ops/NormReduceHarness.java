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
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Builds a one-node model (runtime inputs, constant inputs, omitted inputs, attributes) and runs
 * it in Kiln and in ONNX Runtime, for the reduction and normalization operator tests.
 */
final class NormReduceHarness {
    /** Float comparison used against ONNX Runtime: rtol 1e-4, atol 1e-5. */
    static final Tolerance ORACLE = new Tolerance(1e-4, 1e-5);

    private final String opType;
    private final int opset;
    private final Attributes attrs = new Attributes();
    private final List<Object[]> inputs = new ArrayList<>(); // {name, tensor, constant?}
    private final List<String> outputs = new ArrayList<>();

    private NormReduceHarness(String opType, int opset) {
        this.opType = opType;
        this.opset = opset;
    }

    static NormReduceHarness op(String opType, int opset) {
        return new NormReduceHarness(opType, opset);
    }

    NormReduceHarness input(Tensor t) {
        inputs.add(new Object[] {"in" + inputs.size(), t, false});
        return this;
    }

    NormReduceHarness constInput(Tensor t) {
        inputs.add(new Object[] {"in" + inputs.size(), t, true});
        return this;
    }

    /** An omitted optional input. */
    NormReduceHarness none() {
        inputs.add(new Object[] {null, null, false});
        return this;
    }

    NormReduceHarness attr(String name, long v) {
        attrs.put(Attribute.of(name, v));
        return this;
    }

    NormReduceHarness attr(String name, float v) {
        attrs.put(Attribute.of(name, v));
        return this;
    }

    NormReduceHarness attr(String name, String v) {
        attrs.put(Attribute.of(name, v));
        return this;
    }

    NormReduceHarness attr(String name, long[] v) {
        attrs.put(Attribute.of(name, v));
        return this;
    }

    /** Output names; "" for an omitted optional output. Default: one output "out0". */
    NormReduceHarness outputs(String... names) {
        outputs.clear();
        outputs.addAll(List.of(names));
        return this;
    }

    Model model() {
        Graph g = new Graph(opType.toLowerCase() + "_test");
        List<Value> in = new ArrayList<>();
        for (Object[] i : inputs) {
            if (i[0] == null) {
                in.add(null);
            } else if ((Boolean) i[2]) {
                in.add(g.addInitializer((String) i[0], new ConstTensor((Tensor) i[1])));
            } else {
                Tensor t = (Tensor) i[1];
                in.add(g.addInput((String) i[0], TensorType.of(t.dtype(), t.shape())));
            }
        }
        List<String> outs = outputs.isEmpty() ? List.of("out0") : outputs;
        Node n = g.addNode("node", opType, "", attrs, in, outs);
        for (Value v : n.outputs()) {
            if (v != null) {
                g.addOutput(v);
            }
        }
        Model m = new Model(g);
        m.opsets().put("", (long) opset);
        // output types come from Kiln's inference; the exported model needs them
        TypeInference.run(m, OpRegistry.standard());
        return m;
    }

    Map<String, Tensor> feeds() {
        Map<String, Tensor> f = new LinkedHashMap<>();
        for (Object[] i : inputs) {
            if (i[0] != null && !(Boolean) i[2]) {
                f.put((String) i[0], (Tensor) i[1]);
            }
        }
        return f;
    }

    Map<String, Tensor> runKiln() {
        return new Executor(model(), 2).run(feeds());
    }

    /** The first output computed by Kiln. */
    Tensor kiln() {
        return runKiln().values().iterator().next();
    }

    Map<String, Tensor> runOrt() {
        try {
            return OrtOracle.run(model(), feeds());
        } catch (Exception e) {
            throw new AssertionError("ONNX Runtime failed on " + opType + " (opset " + opset + "): " + e.getMessage(), e);
        }
    }

    /** Runs both and compares every output (floats with {@link #ORACLE}, integers exactly). */
    void assertMatchesOrt() {
        Map<String, Tensor> ort = runOrt();
        Map<String, Tensor> kiln = runKiln();
        assertEquals(ort.keySet(), kiln.keySet());
        for (String k : ort.keySet()) {
            Tensor kt = kiln.get(k);
            assertNotNull(kt, k);
            String diff = ORACLE.mismatch(ort.get(k), kt);
            if (diff != null) {
                fail(opType + " opset " + opset + " " + describeAttrs() + " output " + k + ": " + diff);
            }
        }
    }

    private String describeAttrs() {
        StringBuilder sb = new StringBuilder("{");
        for (Attribute a : attrs.all()) {
            sb.append(a).append(' ');
        }
        for (Object[] i : inputs) {
            sb.append(i[1] == null ? "<none>" : ((Tensor) i[1]).toString()).append(' ');
        }
        return sb.append('}').toString();
    }
}
