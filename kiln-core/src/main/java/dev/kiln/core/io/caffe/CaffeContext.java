package dev.kiln.core.io.caffe;

import dev.kiln.core.KilnException;
import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.ops.TypeInference;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a {@link LayerConverter} works with: the layer being converted, the current value of every
 * Caffe blob name, the layer's parameter blobs from the caffemodel, and node creation with immediate
 * type inference (Caffe shapes are static, and many conversions need them).
 *
 * <p>Naming: the value bound to a top carries the top's name, so the ONNX model's tensors have the
 * Caffe blob names. When a layer works in place (top = bottom), the earlier value is renamed
 * {@code <producer layer>_out} first, unless it is a graph input, whose name is the model's interface:
 * then the new value keeps its node's output name. Nodes are named after the layer; helper nodes of a layer that
 * needs several get {@code <layer>_<role>}.
 */
final class CaffeContext {
    private final Graph graph;
    private final TypeInference.Incremental inference;
    private final Map<String, List<CaffeNet.BlobProto>> weights;
    private final Consumer<String> warnings;
    private final Map<String, int[]> inputShapes;
    private final Map<String, Value> blobs = new HashMap<>();
    private CaffeNet.LayerParameter layer;
    private Node firstNode;
    private boolean named;
    private String floatOnly;

    CaffeContext(Model model, Map<String, List<CaffeNet.BlobProto>> weights, Map<String, int[]> inputShapes,
                 Consumer<String> warnings) {
        this.inputShapes = inputShapes;
        this.graph = model.graph();
        this.inference = TypeInference.incremental(model);
        this.weights = weights;
        this.warnings = warnings;
    }

    void begin(CaffeNet.LayerParameter l) {
        this.layer = l;
        this.firstNode = null;
        this.named = false;
        this.floatOnly = null;
    }

    Graph graph() {
        return graph;
    }

    /** The layer being converted. */
    CaffeNet.LayerParameter layer() {
        return layer;
    }

    String name() {
        return layer.getName();
    }

    void warn(String message) {
        warnings.accept("layer '" + name() + "' (" + layer.getType() + "): " + message);
    }

    /** An error about the current layer. */
    KilnException error(String message) {
        return new KilnException("layer '" + name() + "' (" + layer.getType() + "): " + message);
    }

    // ------------------------------------------------------------------------------------------
    // bottoms and tops

    int bottoms() {
        return layer.getBottomCount();
    }

    int tops() {
        return layer.getTopCount();
    }

    /** The current value of bottom i. */
    Value bottom(int i) {
        if (i >= layer.getBottomCount()) {
            throw error("expects at least " + (i + 1) + " bottom blob(s), has " + layer.getBottomCount());
        }
        String b = layer.getBottom(i);
        Value v = blobs.get(b);
        if (v == null) {
            throw error("bottom '" + b + "' is not produced by any earlier layer");
        }
        return v;
    }

    /** The static shape of a value (Caffe shapes are static once the input shape is). */
    int[] shape(Value v) {
        TensorType t = v.type();
        if (t == null || !t.hasRank() || !t.isStatic()) {
            throw error("the shape of '" + v.name() + "' is not known statically (" + t + ")");
        }
        return t.shape();
    }

    /** Shorthand: the shape of bottom i. */
    int[] bottomShape(int i) {
        return shape(bottom(i));
    }

    /** Binds top i to v, renaming v to the top's name. */
    void top(int i, Value v) {
        if (i >= layer.getTopCount()) {
            throw error("produces " + (i + 1) + " outputs but declares " + layer.getTopCount() + " top(s)");
        }
        String t = layer.getTop(i);
        Value old = blobs.get(t);
        if (old != null && old != v && old.name().equals(t) && !old.isGraphInput()) {
            String base = old.producer() != null ? old.producer().name() + "_out" : t + "_in";
            graph.renameValue(old, graph.uniqueName(base));
        }
        if (!v.name().equals(t) && !v.isGraphInput() && !v.isConstant() && graph.localValue(t) == null) {
            graph.renameValue(v, t);
        }
        blobs.put(t, v);
    }

    /** Binds a top to an existing value without a node (Split, Dropout...). */
    void alias(int top, Value v) {
        blobs.put(layer.getTop(top), v);
    }

    /** The value a blob name currently stands for, or null. */
    Value blob(String name) {
        return blobs.get(name);
    }

    /**
     * Declares a graph input (Input layer) with the prototxt's shape, or the shape the caller gave
     * for it (makertbin's input_shape, the checker's --input-shape): Caffe layers are converted with
     * static shapes, so the final input shape must be known here.
     */
    Value input(String name, int[] shape) {
        int[] given = inputShapes.get(name);
        if (given != null && given.length != shape.length) {
            throw error("input '" + name + "' has rank " + shape.length + " " + Arrays.toString(shape)
                    + " but the given input shape is " + Arrays.toString(given));
        }
        Value v = graph.addInput(name, TensorType.of(DType.FLOAT, given != null ? given : shape));
        blobs.put(name, v);
        return v;
    }

    // ------------------------------------------------------------------------------------------
    // parameter blobs

    /** How many parameter blobs the caffemodel holds for this layer (0 when none). */
    int blobCount() {
        List<CaffeNet.BlobProto> b = weights.get(name());
        return b == null ? 0 : b.size();
    }

    /** Parameter blob i with its stored shape; role names it in errors ("weights", "bias"...). */
    Tensor blob(int i, String role) {
        List<CaffeNet.BlobProto> b = weights.get(name());
        if (b == null || i >= b.size()) {
            throw error("the caffemodel has no blob " + i + " (" + role + ") for this layer"
                    + (b == null ? " (no blobs at all: is the layer name the same in the prototxt and the caffemodel?)"
                    : " (it has " + b.size() + ")"));
        }
        CaffeNet.BlobProto p = b.get(i);
        int[] shape = new int[p.getShape().getDimCount()];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = Math.toIntExact(p.getShape().getDim(d));
        }
        float[] data = new float[p.getDataCount()];
        for (int k = 0; k < data.length; k++) {
            data[k] = p.getData(k);
        }
        return Tensor.of(data, shape);
    }

    /**
     * Parameter blob i reshaped to the shape the layer implies; the element count must agree (legacy
     * files store 4-D shapes padded with 1s, e.g. 1x1xNxK for an InnerProduct weight).
     */
    Tensor blob(int i, String role, int... expected) {
        Tensor t = blob(i, role);
        long n = 1;
        for (int d : expected) {
            n *= d;
        }
        if (t.size() != n) {
            throw error("blob " + i + " (" + role + ") has shape " + Arrays.toString(t.shape()) + " (" + t.size()
                    + " values) but the prototxt implies " + Arrays.toString(expected) + " (" + n + " values)");
        }
        return t.reshape(expected);
    }

    // ------------------------------------------------------------------------------------------
    // nodes

    Value constant(String role, Tensor t) {
        return graph.addConstant(name() + "_" + role, new ConstTensor(t));
    }

    /** An int64 vector constant (shapes, axes, pads). */
    Value ints(String role, long... values) {
        return constant(role, Tensor.vector(values));
    }

    /** A float scalar constant (Clip bounds, exponents, thresholds). */
    Value scalar(String role, float v) {
        return constant(role, Tensor.scalar(v));
    }

    /** A Reshape of x to a static shape. */
    Value reshape(String role, Value x, int... shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape[i];
        }
        return node(role, "Reshape", null, x, ints(role == null ? "shape" : role + "_shape", s));
    }

    /** Caffe's CanonicalAxisIndex: a parameter axis in [-rank, rank) made non-negative; what names the field. */
    int axis(String what, long axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw error(what + " " + axis + " is out of range for a blob of " + rank + " axes");
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Adds a one-output node: the main node (role null) takes the layer's name, others {@code <layer>_<role>}. */
    Value node(String role, String opType, AttrBuilder attrs, Value... inputs) {
        return nodeN(role, opType, attrs, 1, inputs)[0];
    }

    Value[] nodeN(String role, String opType, AttrBuilder attrs, int outputs, Value... inputs) {
        boolean main = role == null && !named;
        String nodeName = graph.uniqueName(main ? name() : name() + "_" + (role == null ? opType.toLowerCase(java.util.Locale.ROOT) : role));
        named |= main;
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outs.add(graph.uniqueName(nodeName + (outputs == 1 ? "_out" : "_out" + i)));
        }
        Node n = graph.addNode(nodeName, opType, "", attrs == null ? new Attributes() : attrs.attributes,
                Arrays.asList(inputs), outs);
        if (firstNode == null) {
            firstNode = n;
        }
        if (floatOnly != null) {
            n.metadata().put(dev.kiln.core.quant.QuantPlan.FLOAT_ONLY_KEY, floatOnly);
        }
        try {
            inference.infer(n);
        } catch (KilnException e) {
            throw error(e.getMessage());
        }
        Value[] v = new Value[outputs];
        for (int i = 0; i < outputs; i++) {
            v[i] = n.output(i);
        }
        return v;
    }

    /**
     * Marks every node this layer adds from now on as float-only: placement keeps them on the CPU with
     * the reason (post-processing such as NMS, whose int8 version would only lose accuracy).
     */
    void floatOnly(String reason) {
        this.floatOnly = reason;
    }

    /**
     * Ends the layer: when no node was added as the layer's main node (role null), the first one takes
     * the layer's name, so that every converted layer appears under its own name in the reports.
     */
    void end() {
        if (!named && firstNode != null && graph.findNode(name()) == null) {
            firstNode.setName(name());
        }
    }

    /** Attribute list builder: {@code attrs().i("group", 2).ints("pads", 0, 0, 1, 1)}. */
    static AttrBuilder attrs() {
        return new AttrBuilder();
    }

    static final class AttrBuilder {
        private final Attributes attributes = new Attributes();

        private void put(Attribute a) {
            attributes.put(a);
        }

        AttrBuilder i(String name, long v) {
            put(Attribute.of(name, v));
            return this;
        }

        AttrBuilder f(String name, float v) {
            put(Attribute.of(name, v));
            return this;
        }

        AttrBuilder s(String name, String v) {
            put(Attribute.of(name, v));
            return this;
        }

        AttrBuilder ints(String name, long... v) {
            put(Attribute.of(name, v));
            return this;
        }

        AttrBuilder floats(String name, float... v) {
            put(Attribute.of(name, v));
            return this;
        }
    }
}
