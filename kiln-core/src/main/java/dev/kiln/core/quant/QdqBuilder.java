package dev.kiln.core.quant;

import dev.kiln.core.KilnException;
import dev.kiln.core.io.onnx.OnnxExporter;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.ops.TypeInference;
import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the two quantized artefacts from the optimized float model, a {@link QuantPlan} and a
 * {@link CalibrationTable}, in standard ONNX QDQ form (SPEC sections 1, 7, 8):
 * <ul>
 *   <li>the calibrated model: every quantized activation t becomes {@code QuantizeLinear(t, s) ->
 *       DequantizeLinear} with {@code s = threshold / 127} (32767 for int16), and each weight of an
 *       integer node is fake-quantized per output channel by QuantizeLinear -> DequantizeLinear of the
 *       float initializer; computed in float (ONNX Runtime and Kiln run it as such);</li>
 *   <li>the quantized model: the same activations, but int8 weight initializers and int32 biases
 *       (scale {@code s_x * s_w[c]}) read through DequantizeLinear, the exact arithmetic Kiln's integer
 *       program (and the .bin) computes.</li>
 * </ul>
 * Model inputs and outputs keep their names; a quantized output is dequantized back to float.
 */
public final class QdqBuilder {
    /**
     * What was built: the model, the scale chosen for each quantized tensor and the name of the
     * int8/int16 value (the QuantizeLinear output) that carries it in the built model, both by the
     * float tensor's name in the optimized model.
     */
    public record Result(Model model, Map<String, Float> scales, Map<String, String> quantizedNames) {
    }

    private final Graph g;
    private final QuantPlan plan;
    private final CalibrationTable table;
    private final boolean integer;
    private final Map<String, Float> scales = new LinkedHashMap<>();
    private final Map<String, String> quantizedNames = new LinkedHashMap<>();

    private QdqBuilder(Graph g, QuantPlan plan, CalibrationTable table, boolean integer) {
        this.g = g;
        this.plan = plan;
        this.table = table;
        this.integer = integer;
    }

    /** The calibrated (fake-quantized, float) model. */
    public static Result calibrated(Model optimized, QuantPlan plan, CalibrationTable table) {
        return build(optimized, plan, table, false);
    }

    /** The quantized (integer weights and biases) model. */
    public static Result quantized(Model optimized, QuantPlan plan, CalibrationTable table) {
        return build(optimized, plan, table, true);
    }

    private static Result build(Model optimized, QuantPlan plan, CalibrationTable table, boolean integer) {
        Model copy = OnnxImporter.fromProto(OnnxExporter.toProto(optimized), null);
        if (copy.opset("") < 13) {
            throw new KilnException("quantized models need ONNX opset 13 or newer (per-channel QuantizeLinear); the model "
                    + "imports opset " + copy.opset("") + " and was not upgraded");
        }
        QdqBuilder b = new QdqBuilder(copy.graph(), plan, table, integer);
        b.rewrite(optimized.graph());
        copy.metadata().put("kiln.artefact", integer ? "quantized_model" : "calibrated_model");
        copy.metadata().put("kiln.calibration_method", table.method());
        copy.metadata().put("kiln.weights", table.perChannelWeights() ? "per_channel" : "per_tensor");
        TypeInference.run(copy);
        return new Result(copy, b.scales, b.quantizedNames);
    }

    private void rewrite(Graph original) {
        // weights first (they look up their input's scale), then activations
        for (Node on : original.nodes()) {
            QuantPlan.WeightInput w = plan.weightInput(on);
            if (w != null && plan.placement(on) == QuantPlan.Placement.BPU) {
                Node n = g.findNode(on.name());
                quantizeWeight(n, w, integer ? scaleOfInput(on) : Float.NaN);
            }
        }
        for (Map.Entry<Value, DType> e : plan.quantized().entrySet()) {
            Value ov = e.getKey();
            if (!integer && !table.has(plan.scaleSource(ov).name())) {
                continue; // a candidate of the search that leaves this tensor in float
            }
            Value v = g.lookup(ov.name());
            float s = scale(ov, e.getValue());
            insertQdq(v, s, e.getValue());
        }
    }

    /** Scale of the (first) activation input of a node in the original graph. */
    private float scaleOfInput(Node on) {
        Value in = on.input(0);
        DType t = plan.quantized().get(in);
        if (t == null) {
            throw new KilnException("node '" + on.name() + "': its input '" + in.name() + "' is not quantized");
        }
        return scale(in, t);
    }

    private float scale(Value ov, DType type) {
        Value src = plan.scaleSource(ov);
        CalibrationTable.Entry e = table.get(src.name());
        if (e == null) {
            throw new KilnException("no calibration threshold for tensor '" + src.name() + "'");
        }
        float qmax = type == DType.INT16 ? QuantMath.INT16_MAX : QuantMath.INT8_MAX;
        float s = e.threshold() / qmax;
        scales.put(ov.name(), s);
        return s;
    }

    /** t -> QuantizeLinear -> DequantizeLinear; every reader of t reads the dequantized value. */
    private void insertQdq(Value t, float s, DType type) {
        List<Value.Use> uses = new ArrayList<>(t.uses());
        boolean output = g.outputs().contains(t);
        String name = t.name();
        Value src = t;
        if (output) {
            // keep the model output's name on the dequantized value
            g.renameValue(t, g.uniqueName(name + "_float"));
        }
        Value scale = g.addConstant(name + "_scale", new ConstTensor(Tensor.scalar(s)));
        Tensor zpT = Tensor.allocate(type, new int[0]);
        Value zp = g.addConstant(name + "_zero_point", new ConstTensor(zpT));
        Node insertAt = firstReader(uses);
        Attributes qa = new Attributes();
        Node q = insert(insertAt, "Q_" + name, "QuantizeLinear", qa, List.of(src, scale, zp),
                List.of(g.uniqueName(name + "_quantized")));
        quantizedNames.put(name, q.output(0).name());
        q.metadata().put("kiln.threshold", String.format(Locale.ROOT, "%.9g", s * (type == DType.INT16 ? 32767 : 127)));
        Node dq = insert(insertAt, "DQ_" + name, "DequantizeLinear", new Attributes(), List.of(q.output(0), scale, zp),
                List.of(output ? name : g.uniqueName(name + "_dequantized")));
        for (Value.Use u : uses) {
            u.node().setInput(u.index(), dq.output(0));
        }
        if (output) {
            for (int i = 0; i < g.outputs().size(); i++) {
                if (g.outputs().get(i) == src) {
                    g.setOutput(i, dq.output(0));
                }
            }
        }
    }

    private Node firstReader(List<Value.Use> uses) {
        Node first = null;
        int best = Integer.MAX_VALUE;
        for (Value.Use u : uses) {
            int at = g.nodes().indexOf(u.node());
            if (at >= 0 && at < best) {
                best = at;
                first = u.node();
            }
        }
        return first;
    }

    private Node insert(Node before, String name, String op, Attributes a, List<Value> in, List<String> out) {
        String nn = g.findNode(name) == null ? name : g.uniqueName(name);
        if (before == null) {
            return g.addNode(nn, op, "", a, in, out);
        }
        return g.insertNodeBefore(before, nn, op, a, in, out);
    }

    private void quantizeWeight(Node n, QuantPlan.WeightInput wi, float sx) {
        Value wv = n.input(wi.input());
        Tensor w = wv.constant().tensor().castTo(DType.FLOAT);
        int axis = table.perChannelWeights() ? wi.axis() : -1;
        float[] sw = weightScales(w, axis);
        String name = wv.name();
        Value scale = g.addConstant(name + "_scale", new ConstTensor(axis < 0 ? Tensor.scalar(sw[0]) : Tensor.of(sw, sw.length)));
        Tensor zpT = axis < 0 ? Tensor.allocate(DType.INT8, new int[0]) : Tensor.allocate(DType.INT8, sw.length);
        Value zp = g.addConstant(name + "_zero_point", new ConstTensor(zpT));
        Attributes a = new Attributes();
        if (axis >= 0) {
            a.put(Attribute.of("axis", (long) axis));
        }
        Value dqIn;
        if (integer) {
            dqIn = g.addConstant(name + "_quantized", new ConstTensor(quantizeWeights(w, sw, axis)));
        } else {
            Node q = g.insertNodeBefore(n, g.uniqueName("Q_" + name), "QuantizeLinear", a.copy(), List.of(wv, scale, zp),
                    List.of(g.uniqueName(name + "_quantized")));
            dqIn = q.output(0);
        }
        Node dq = g.insertNodeBefore(n, g.uniqueName("DQ_" + name), "DequantizeLinear", a, List.of(dqIn, scale, zp),
                List.of(g.uniqueName(name + "_dequantized")));
        n.setInput(wi.input(), dq.output(0));
        if (integer && wi.biasInput() >= 0) {
            quantizeBias(n, wi.biasInput(), sx, sw, axis);
        }
    }

    /** Symmetric scales: max |w| / 127 per slice along axis (or over everything when axis < 0); 1 for all-zero slices. */
    static float[] weightScales(Tensor w, int axis) {
        int[] s = w.shape();
        int channels = axis < 0 ? 1 : s[axis];
        int inner = 1;
        for (int i = axis + 1; i < s.length && axis >= 0; i++) {
            inner *= s[i];
        }
        float[] max = new float[channels];
        float[] f = w.floats();
        for (int i = 0; i < f.length; i++) {
            int c = axis < 0 ? 0 : (i / inner) % channels;
            max[c] = Math.max(max[c], Math.abs(f[i]));
        }
        float[] sc = new float[channels];
        for (int c = 0; c < channels; c++) {
            sc[c] = max[c] > 0 ? max[c] / QuantMath.INT8_MAX : 1f;
        }
        return sc;
    }

    static Tensor quantizeWeights(Tensor w, float[] sw, int axis) {
        int[] s = w.shape();
        int channels = sw.length;
        int inner = 1;
        for (int i = axis + 1; i < s.length && axis >= 0; i++) {
            inner *= s[i];
        }
        Tensor q = Tensor.allocate(DType.INT8, s);
        float[] f = w.floats();
        byte[] b = q.bytes();
        for (int i = 0; i < f.length; i++) {
            int c = axis < 0 ? 0 : (i / inner) % channels;
            b[i] = (byte) QuantMath.quantize(f[i], sw[c], 0, QuantMath.INT8_MIN, QuantMath.INT8_MAX);
        }
        return q;
    }

    /** bias -> int32 with scale s_x * s_w[c] (float32 product), read through a per-axis DequantizeLinear. */
    private void quantizeBias(Node n, int input, float sx, float[] sw, int axis) {
        Value bv = n.input(input);
        Tensor b = bv.constant().tensor().castTo(DType.FLOAT);
        int channels = b.size();
        float[] sb = new float[channels];
        Tensor q = Tensor.allocate(DType.INT32, channels);
        for (int c = 0; c < channels; c++) {
            sb[c] = sx * (sw.length == 1 ? sw[0] : sw[c]);
            q.ints()[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.rint((double) b.floats()[c] / sb[c])));
        }
        String name = bv.name();
        Value scale = g.addConstant(name + "_scale", new ConstTensor(Tensor.of(sb, channels)));
        Value zp = g.addConstant(name + "_zero_point", new ConstTensor(Tensor.allocate(DType.INT32, channels)));
        Value qv = g.addConstant(name + "_quantized", new ConstTensor(q));
        Attributes a = new Attributes();
        a.put(Attribute.of("axis", 0L));
        Node dq = g.insertNodeBefore(n, g.uniqueName("DQ_" + name), "DequantizeLinear", a, List.of(qv, scale, zp),
                List.of(g.uniqueName(name + "_dequantized")));
        n.setInput(input, dq.output(0));
    }
}
