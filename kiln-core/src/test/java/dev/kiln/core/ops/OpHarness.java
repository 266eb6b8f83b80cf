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

/** Builds one-node models for operator tests and runs them in Kiln and in ONNX Runtime. */
final class OpHarness {
    /** float32 results against ONNX Runtime: ORT's float kernels use approximations accurate to a few ulps. */
    static final Tolerance VS_ORT = new Tolerance(1e-5, 1e-6);
    /** Half types: one unit in the last place of float16 (2^-10 relative) plus a little. */
    static final Tolerance VS_ORT_HALF = new Tolerance(2e-3, 1e-6);

    private OpHarness() {
    }

    /** Attributes from name/value pairs (Float, Integer/Long, String, long[], float[]). */
    static Attributes attrs(Object... kv) {
        Attributes a = new Attributes();
        for (int i = 0; i < kv.length; i += 2) {
            String name = (String) kv[i];
            Object v = kv[i + 1];
            if (v instanceof Float || v instanceof Double) {
                a.put(Attribute.of(name, ((Number) v).floatValue()));
            } else if (v instanceof Integer || v instanceof Long) {
                a.put(Attribute.of(name, ((Number) v).longValue()));
            } else if (v instanceof String) {
                a.put(Attribute.of(name, (String) v));
            } else {
                throw new IllegalArgumentException("unsupported attribute value " + v);
            }
        }
        return a;
    }

    /** A node under test: op type, opset, attributes, inputs (null = omitted), which inputs are initializers. */
    static final class Case {
        final String op;
        final int opset;
        final Attributes attrs;
        final Tensor[] inputs;
        final boolean[] constant;
        int outputs = 1;

        Case(String op, int opset, Attributes attrs, Tensor... inputs) {
            this.op = op;
            this.opset = opset;
            this.attrs = attrs == null ? new Attributes() : attrs;
            this.inputs = inputs;
            this.constant = new boolean[inputs.length];
        }

        Case constant(int... which) {
            for (int i : which) {
                constant[i] = true;
            }
            return this;
        }

        Case outputs(int n) {
            outputs = n;
            return this;
        }

        Model model() {
            Graph g = new Graph("test_" + op);
            List<Value> ins = new ArrayList<>();
            for (int i = 0; i < inputs.length; i++) {
                Tensor t = inputs[i];
                if (t == null) {
                    ins.add(null);
                } else if (constant[i]) {
                    ins.add(g.addInitializer("c" + i, new ConstTensor(t)));
                } else {
                    ins.add(g.addInput("in" + i, TensorType.of(t.dtype(), t.shape())));
                }
            }
            List<String> outs = new ArrayList<>();
            for (int i = 0; i < outputs; i++) {
                outs.add("out" + i);
            }
            Node n = g.addNode("node", op, "", attrs, ins, outs);
            for (int i = 0; i < outputs; i++) {
                g.addOutput(n.output(i));
            }
            Model m = new Model(g);
            m.opsets().put("", (long) opset);
            return m;
        }

        Map<String, Tensor> feeds() {
            Map<String, Tensor> f = new LinkedHashMap<>();
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i] != null && !constant[i]) {
                    f.put("in" + i, inputs[i]);
                }
            }
            return f;
        }

        /** Kiln's outputs, in order, computed with the given number of threads. */
        Tensor[] kiln(int threads) {
            Map<String, Tensor> r = new Executor(model(), threads).run(feeds());
            return r.values().toArray(new Tensor[0]);
        }

        Tensor kiln() {
            return kiln(1)[0];
        }

        Tensor[] ort() throws Exception {
            Model m = model();
            TypeInference.run(m); // the exported graph declares the inferred output types
            Map<String, Tensor> r = OrtOracle.run(m, feeds());
            return r.values().toArray(new Tensor[0]);
        }

        /** Asserts that every output matches ONNX Runtime (type, shape, values within the tolerance). */
        void matchesOrt() throws Exception {
            Tensor[] k = kiln(1);
            Tensor[] o = ort();
            assertEquals(o.length, k.length, "number of outputs");
            for (int i = 0; i < o.length; i++) {
                Tolerance tol = o[i].dtype() == DType.FLOAT16 || o[i].dtype() == DType.BFLOAT16 ? VS_ORT_HALF : VS_ORT;
                assertNull(tol.mismatch(o[i], k[i]), () -> op + " opset " + opset + " " + attrs + " on "
                        + describe(inputs));
            }
        }
    }

    static Case node(String op, int opset, Attributes attrs, Tensor... inputs) {
        return new Case(op, opset, attrs, inputs);
    }

    static String describe(Tensor[] inputs) {
        StringBuilder sb = new StringBuilder();
        for (Tensor t : inputs) {
            sb.append(t == null ? "(omitted)" : t.dtype() + java.util.Arrays.toString(t.shape())).append(' ');
        }
        return sb.toString().trim();
    }

    /** t converted to another element type (values rounded/truncated as Tensor.setDouble does). */
    static Tensor as(DType dtype, Tensor t) {
        return t.castTo(dtype);
    }

    /** A float tensor of the given values and shape. */
    static Tensor floats(int[] shape, float... v) {
        return Tensor.of(v, shape);
    }

    static Tensor vec(float... v) {
        return Tensor.of(v, v.length);
    }
}
