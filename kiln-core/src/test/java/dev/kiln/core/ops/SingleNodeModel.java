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

import static org.junit.jupiter.api.Assertions.assertNull;

/** A one-node model built input by input, run in Kiln and in ONNX Runtime. */
final class SingleNodeModel {
    /** Integer results (and float dequantization, one float32 multiply) must be identical. */
    static final Tolerance EXACT = new Tolerance(0, 0);

    private final Graph g = new Graph("t");
    private final List<Value> inputs = new ArrayList<>();
    final Map<String, Tensor> feeds = new LinkedHashMap<>();
    private final Attributes attrs = new Attributes();

    /** The next node input, fed at run time. */
    SingleNodeModel input(Tensor t) {
        String name = "in" + inputs.size();
        inputs.add(g.addInput(name, TensorType.of(t.dtype(), t.shape())));
        feeds.put(name, t);
        return this;
    }

    /**
     * The next node input: fed at run time, except uint16 tensors, which ONNX Runtime's Java API
     * cannot take as inputs and which therefore become initializers.
     */
    SingleNodeModel data(Tensor t) {
        return t.dtype() == DType.UINT16 ? constant(t) : input(t);
    }

    /** The next node input as an initializer; null omits an optional input. */
    SingleNodeModel constant(Tensor t) {
        inputs.add(t == null ? null : g.addInitializer("c" + inputs.size(), new ConstTensor(t)));
        return this;
    }

    SingleNodeModel attr(String name, long v) {
        attrs.put(Attribute.of(name, v));
        return this;
    }

    SingleNodeModel attr(String name, long[] v) {
        attrs.put(Attribute.of(name, v));
        return this;
    }

    SingleNodeModel attr(String name, String v) {
        attrs.put(Attribute.of(name, v));
        return this;
    }

    Model model(String op, int opset, int outputs) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            names.add("out" + i);
        }
        Node n = g.addNode("node", op, "", attrs, inputs, names);
        for (Value o : n.outputs()) {
            g.addOutput(o);
        }
        Model m = new Model(g);
        m.opsets().put("", (long) opset);
        m.setIrVersion(opset >= 21 ? 10 : 8);
        return m;
    }

    /** Runs Kiln (which also infers the output types the export needs) and ONNX Runtime; asserts equality. */
    Map<String, Tensor> assertMatchesOrt(String op, int opset, int outputs, String what) throws Exception {
        Model m = model(op, opset, outputs);
        Map<String, Tensor> kiln = new Executor(m).run(feeds);
        Map<String, Tensor> ort = OrtOracle.run(m, feeds);
        for (String k : ort.keySet()) {
            String problem = EXACT.mismatch(asKilnType(ort.get(k), kiln.get(k)), kiln.get(k));
            assertNull(problem, what + " output " + k + ": " + problem);
        }
        return kiln;
    }

    /** Kiln and ONNX Runtime outputs of a one-output node, Kiln first. */
    Tensor[] runBoth(String op, int opset) throws Exception {
        Model m = model(op, opset, 1);
        Tensor kiln = new Executor(m).run(feeds).get("out0");
        Tensor ort = OrtOracle.run(m, feeds).get("out0");
        return new Tensor[] {kiln, asKilnType(ort, kiln)};
    }

    /** ONNX Runtime's Java API reports uint16 outputs as int16; reread them as uint16 (same bits). */
    private static Tensor asKilnType(Tensor ort, Tensor kiln) {
        if (ort != null && kiln != null && ort.dtype() == DType.INT16 && kiln.dtype() == DType.UINT16) {
            return Tensor.wrap(DType.UINT16, ort.shape(), ort.shorts());
        }
        return ort;
    }

    Tensor runKiln(String op, int opset) {
        return new Executor(model(op, opset, 1)).run(feeds).get("out0");
    }
}
