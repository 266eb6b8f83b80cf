package dev.kiln.core.testing;

import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds small test models in the IR: inputs, constants, nodes with attributes, outputs. */
public final class GraphBuilder {
    private final Graph g;
    private final Model m;
    private long seed = 100;

    public GraphBuilder(String name, int opset) {
        g = new Graph(name);
        m = new Model(g);
        m.opsets().put("", (long) opset);
    }

    public Value input(String name, DType t, int... shape) {
        return g.addInput(name, TensorType.of(t, shape));
    }

    public Value constant(String name, Tensor t) {
        return g.addConstant(name, new ConstTensor(t));
    }

    /** A constant of seeded standard-normal floats scaled by {@code scale}. */
    public Value weights(String name, float scale, int... shape) {
        Tensor t = TestTensors.normal(seed++, shape);
        float[] f = t.floats();
        for (int i = 0; i < f.length; i++) {
            f[i] *= scale;
        }
        return constant(name, t);
    }

    /** A constant int64 vector (shapes, axes, pads). */
    public Value ints(String name, long... v) {
        return constant(name, Tensor.vector(v));
    }

    public Value floats(String name, float... v) {
        return constant(name, Tensor.of(v.clone(), v.length));
    }

    /** Adds a node with one output; inputs may contain null for omitted optional inputs. */
    public Value op(String opType, List<Value> inputs, Attribute... attrs) {
        return node(opType, inputs, 1, attrs).output(0);
    }

    public Value op(String opType, Value input, Attribute... attrs) {
        return op(opType, List.of(input), attrs);
    }

    public Node node(String opType, List<Value> inputs, int outputs, Attribute... attrs) {
        Attributes a = new Attributes();
        for (Attribute at : attrs) {
            a.put(at);
        }
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outs.add(g.uniqueName(opType.toLowerCase() + "_out"));
        }
        return g.addNode(g.uniqueName(opType.toLowerCase()), opType, "", a, new ArrayList<>(inputs), outs);
    }

    public GraphBuilder output(Value... vs) {
        for (Value v : vs) {
            g.addOutput(v);
        }
        return this;
    }

    public Model build() {
        return m;
    }

    public Graph graph() {
        return g;
    }

    public static Attribute ints(String name, int... v) {
        return Attribute.of(name, Arrays.stream(v).asLongStream().toArray());
    }

    public static Attribute i(String name, long v) {
        return Attribute.of(name, v);
    }

    public static Attribute f(String name, float v) {
        return Attribute.of(name, v);
    }

    public static Attribute s(String name, String v) {
        return Attribute.of(name, v);
    }
}
