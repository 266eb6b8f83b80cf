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
import dev.kiln.core.testing.TestTensors;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A one-node model for operator tests: inputs fed at run time or held as initializers, attributes,
 * an opset. Each run builds a fresh model, so Kiln's inference never leaks into what ONNX Runtime
 * sees.
 */
final class OpCase {
    /** Data movement must reproduce values bit for bit. */
    static final Tolerance EXACT = new Tolerance(0, 0);

    private record In(String name, Tensor value, boolean constant, TensorType declared) {
    }

    private final String opType;
    private final int opset;
    private final List<In> inputs = new ArrayList<>();
    private final List<Attribute> attrs = new ArrayList<>();
    private int outputs = 1;

    private OpCase(String opType, int opset) {
        this.opType = opType;
        this.opset = opset;
    }

    static OpCase of(String opType, int opset) {
        return new OpCase(opType, opset);
    }

    /** A graph input with the tensor's exact shape. */
    OpCase input(Tensor t) {
        inputs.add(new In("in" + inputs.size(), t, false, TensorType.of(t.dtype(), t.shape())));
        return this;
    }

    /** A graph input whose declared dims are all unknown (same rank). */
    OpCase dynamicInput(Tensor t) {
        int[] unknown = new int[t.rank()];
        java.util.Arrays.fill(unknown, -1);
        inputs.add(new In("in" + inputs.size(), t, false, TensorType.of(t.dtype(), unknown)));
        return this;
    }

    /** An initializer. */
    OpCase constant(Tensor t) {
        inputs.add(new In("in" + inputs.size(), t, true, null));
        return this;
    }

    /** An omitted optional input. */
    OpCase omitted() {
        inputs.add(null);
        return this;
    }

    OpCase attr(String name, long v) {
        attrs.add(Attribute.of(name, v));
        return this;
    }

    OpCase attr(String name, float v) {
        attrs.add(Attribute.of(name, v));
        return this;
    }

    OpCase attr(String name, String v) {
        attrs.add(Attribute.of(name, v));
        return this;
    }

    /** An INTS attribute (even with one element). */
    OpCase ints(String name, long... v) {
        attrs.add(Attribute.of(name, v));
        return this;
    }

    OpCase attr(String name, Tensor v) {
        attrs.add(Attribute.of(name, new ConstTensor(v)));
        return this;
    }

    OpCase outputs(int n) {
        outputs = n;
        return this;
    }

    Model model() {
        Graph g = new Graph(opType.toLowerCase() + "_case");
        List<Value> ins = new ArrayList<>();
        for (In in : inputs) {
            if (in == null) {
                ins.add(null);
            } else if (in.constant) {
                ins.add(g.addInitializer(in.name, new ConstTensor(in.value)));
            } else {
                ins.add(g.addInput(in.name, in.declared));
            }
        }
        Attributes a = new Attributes();
        for (Attribute at : attrs) {
            a.put(at);
        }
        List<String> outNames = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outNames.add("out" + i);
        }
        Node n = g.addNode("node", opType, "", a, ins, outNames);
        for (int i = 0; i < outputs; i++) {
            g.addOutput(n.output(i));
        }
        Model m = new Model(g);
        m.opsets().put("", (long) opset);
        return m;
    }

    Map<String, Tensor> feeds() {
        Map<String, Tensor> f = new LinkedHashMap<>();
        for (In in : inputs) {
            if (in != null && !in.constant) {
                f.put(in.name, in.value);
            }
        }
        return f;
    }

    Tensor[] kiln() {
        return kiln(1);
    }

    Tensor[] kiln(int threads) {
        Map<String, Tensor> out = new Executor(model(), threads).run(feeds());
        return out.values().toArray(new Tensor[0]);
    }

    /**
     * Runs ONNX Runtime. ONNX files must declare output element types: they come from Kiln's
     * inference, but only the element type is kept, so ONNX Runtime infers the shapes itself.
     */
    Tensor[] ort() throws Exception {
        Model m = model();
        TensorType[] types = inferred();
        for (int i = 0; i < outputs; i++) {
            m.graph().outputs().get(i).setType(TensorType.unranked(types[i].dtype()));
        }
        Map<String, Tensor> out = OrtOracle.run(m, feeds());
        Tensor[] r = new Tensor[outputs];
        for (int i = 0; i < outputs; i++) {
            r[i] = out.get("out" + i);
        }
        return r;
    }

    /** The output types Kiln infers for a fresh model. */
    TensorType[] inferred() {
        Model m = model();
        TypeInference.run(m);
        TensorType[] t = new TensorType[outputs];
        for (int i = 0; i < outputs; i++) {
            t[i] = m.graph().outputs().get(i).type();
        }
        return t;
    }

    /**
     * Runs Kiln and ONNX Runtime and requires identical outputs; also requires every fully known
     * inferred output shape to equal the computed one.
     */
    Tensor[] matchesOrt() throws Exception {
        Tensor[] expected = ort();
        Tensor[] actual = kiln();
        assertEquals(expected.length, actual.length, "number of outputs");
        TensorType[] types = inferred();
        for (int i = 0; i < expected.length; i++) {
            assertNull(EXACT.mismatch(expected[i], actual[i]), () -> describe() + ": output differs from ONNX Runtime");
            assertInferredFits(types[i], actual[i]);
        }
        return actual;
    }

    /** Inference may leave dims unknown, but what it knows must be right. */
    static void assertInferredFits(TensorType t, Tensor actual) {
        if (t.dtype() != null) {
            assertEquals(actual.dtype(), t.dtype(), "inferred element type");
        }
        if (t.hasRank()) {
            assertEquals(actual.rank(), t.rank(), () -> "inferred rank of " + t);
            for (int d = 0; d < t.rank(); d++) {
                if (t.dim(d).isKnown()) {
                    assertEquals(actual.dim(d), t.dim(d).value(), "inferred dim " + d + " of " + t);
                }
            }
        }
    }

    /** Seeded values of any element type: normals for floats, small integers (0/1 for bool) otherwise. */
    static Tensor sample(DType dtype, long seed, int... shape) {
        if (dtype.isFloatingPoint()) {
            Tensor f = TestTensors.normal(seed, shape);
            return dtype == DType.FLOAT ? f : f.castTo(dtype);
        }
        long hi = dtype == DType.BOOL ? 1 : 100;
        long lo = dtype == DType.BOOL || dtype.isUnsigned() ? 0 : -100;
        return TestTensors.integers(seed, dtype, lo, hi, shape);
    }

    /** Element types ONNX Runtime's Java API can feed. */
    static final DType[] ORT_TYPES = {DType.FLOAT, DType.DOUBLE, DType.FLOAT16, DType.INT8, DType.UINT8,
        DType.INT16, DType.INT32, DType.INT64, DType.BOOL};

    String describe() {
        return opType + " (opset " + opset + ") " + attrs;
    }
}
