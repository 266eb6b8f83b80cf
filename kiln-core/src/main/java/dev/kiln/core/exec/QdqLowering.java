package dev.kiln.core.exec;

import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.ops.IntegerParams;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.core.ops.Op;
import dev.kiln.core.ops.OpContext;
import dev.kiln.core.ops.OpRegistry;
import dev.kiln.core.ops.QuantKind;
import dev.kiln.core.quant.QuantPlan;
import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a quantized model in QDQ form into integer execution (SPEC section 8). A node whose float
 * activation inputs all come from DequantizeLinear of int8/int16 tensors, whose weights and biases
 * are DequantizeLinear of int8/int32 initializers, and whose output goes only to a QuantizeLinear
 * (possibly through a Relu or constant Clip, which then narrows the output range) runs its integer
 * kernel on the quantized tensors directly: the DequantizeLinear, the activation and the
 * QuantizeLinear are absorbed. Data-movement operators run their own kernels on int8 data when
 * input and output scales agree. Everything else runs as written (float kernels between
 * DequantizeLinear and QuantizeLinear). All scales are symmetric (zero point 0).
 */
final class QdqLowering {
    private QdqLowering() {
    }

    /** A DequantizeLinear of a recognised kind. */
    private record Dq(Node node, Value quantized, Tensor constant, float[] scales, int axis, boolean bias) {
        boolean activation() {
            return constant == null;
        }
    }

    /** A QuantizeLinear with a symmetric scalar scale. */
    private record Q(Node node, float scale, DType type) {
    }


    /** True when the graph holds QDQ structures worth lowering (any DequantizeLinear of an int8 initializer or activation). */
    static boolean applies(Graph g) {
        for (Node n : g.nodes()) {
            if (n.opType().equals("DequantizeLinear") && n.domain().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param fuseActivations absorb a Relu/Clip that follows an integer step through a requantization
     *                        of the same scale (one step instead of two; the same values either way)
     */
    static List<Step> plan(Graph g, Map<Node, Kernel> kernels, Map<Value, Tensor> constants, OpRegistry registry,
                           Function<Node, Integer> opsets, boolean fuseActivations) {
        Map<Node, Dq> dqs = new IdentityHashMap<>();
        Map<Node, Q> qs = new IdentityHashMap<>();
        for (Node n : g.nodes()) {
            if (!n.domain().isEmpty()) {
                continue;
            }
            if (n.opType().equals("DequantizeLinear")) {
                Dq d = dequantize(n, constants);
                if (d != null) {
                    dqs.put(n, d);
                }
            } else if (n.opType().equals("QuantizeLinear")) {
                Q q = quantize(n, constants);
                if (q != null) {
                    qs.put(n, q);
                }
            }
        }
        Map<Node, Step> lowered = new IdentityHashMap<>();
        Map<Node, Boolean> absorbed = new IdentityHashMap<>();
        for (Node n : g.nodes()) {
            if (dqs.containsKey(n) || qs.containsKey(n) || !n.subgraphs().isEmpty() || !n.domain().isEmpty()
                    || absorbed.containsKey(n)) {
                continue;
            }
            Step s = lower(g, n, dqs, qs, kernels, constants, registry, opsets.apply(n), absorbed, fuseActivations);
            if (s != null) {
                lowered.put(n, s);
            }
        }
        // a DequantizeLinear still runs when someone outside the lowered nodes reads its output
        List<Step> steps = new ArrayList<>();
        for (Node n : g.nodes()) {
            Step s = lowered.get(n);
            if (s != null) {
                steps.add(s);
            } else if (absorbed.containsKey(n)) {
                continue;
            } else if (dqs.containsKey(n) && !neededOutside(g, n, lowered)) {
                continue;
            } else {
                steps.add(Step.of(n, kernels.get(n)));
            }
        }
        return steps;
    }

    private static boolean neededOutside(Graph g, Node dq, Map<Node, Step> lowered) {
        Value out = dq.output(0);
        if (g.outputs().contains(out)) {
            return true;
        }
        for (Value.Use u : out.uses()) {
            if (!lowered.containsKey(u.node())) {
                return true;
            }
        }
        return false;
    }

    private static Step lower(Graph g, Node n, Map<Node, Dq> dqs, Map<Node, Q> qs, Map<Node, Kernel> kernels,
                              Map<Value, Tensor> constants, OpRegistry registry, int opset, Map<Node, Boolean> absorbed,
                              boolean fuseActivations) {
        Op op = registry.find(n.domain(), n.opType());
        if (op == null) {
            return null;
        }
        IntegerParams params = new IntegerParams(n.inputCount(), n.outputs().size());
        List<Value> inputs = new ArrayList<>();
        boolean anyQuantized = false;
        for (int i = 0; i < n.inputCount(); i++) {
            Value v = n.input(i);
            Node p = v == null ? null : v.producer();
            Dq d = p == null ? null : dqs.get(p);
            if (v == null) {
                inputs.add(null);
            } else if (d != null && d.activation()) {
                params.setInput(i, d.scales()[0]);
                inputs.add(d.quantized());
                anyQuantized = true;
            } else if (d != null && d.bias()) {
                params.setBias(i, d.constant());
                inputs.add(null);
            } else if (d != null) {
                params.setWeight(i, d.constant(), d.scales(), d.axis());
                inputs.add(null);
            } else if (v.type().dtype() != null && v.type().dtype().isFloatingPoint() && !constants.containsKey(v)) {
                return null; // a float activation that is not quantized
            } else {
                inputs.add(v);
            }
        }
        if (!anyQuantized) {
            return null;
        }
        List<Value> outputs = new ArrayList<>();
        List<Node> chain = new ArrayList<>();
        for (int j = 0; j < n.outputs().size(); j++) {
            Value o = n.output(j);
            if (o == null) {
                outputs.add(null);
                continue;
            }
            Node next = sole(g, o);
            float lo = Float.NEGATIVE_INFINITY;
            float hi = Float.POSITIVE_INFINITY;
            if (next != null && next.domain().isEmpty() && (next.opType().equals("Relu") || next.opType().equals("Clip"))) {
                float[] b = next.opType().equals("Relu") ? new float[] {0f, Float.POSITIVE_INFINITY}
                        : clipBounds(next, constants, opset);
                Node after = b == null ? null : sole(g, next.output(0));
                if (after != null && qs.containsKey(after)) {
                    lo = b[0];
                    hi = b[1];
                    chain.add(next);
                    next = after;
                }
            }
            Q q = next == null ? null : qs.get(next);
            if (q == null) {
                return null;
            }
            chain.add(next);
            // op -> Q(s) -> DQ(s) -> Relu|Clip -> Q(s): the clamp on int8 is the same as clamping the
            // requantized value, so it joins this step too
            if (fuseActivations && lo == Float.NEGATIVE_INFINITY && hi == Float.POSITIVE_INFINITY) {
                Node dq = sole(g, next.output(0));
                Dq d = dq == null ? null : dqs.get(dq);
                Node act = d != null && d.activation() && d.scales()[0] == q.scale() ? sole(g, dq.output(0)) : null;
                if (act != null && act.domain().isEmpty() && (act.opType().equals("Relu") || act.opType().equals("Clip"))) {
                    float[] b = act.opType().equals("Relu") ? new float[] {0f, Float.POSITIVE_INFINITY}
                            : clipBounds(act, constants, opset);
                    Node q2n = b == null ? null : sole(g, act.output(0));
                    Q q2 = q2n == null ? null : qs.get(q2n);
                    if (q2 != null && q2.scale() == q.scale() && q2.type() == q.type()) {
                        lo = b[0];
                        hi = b[1];
                        chain.add(dq);
                        chain.add(act);
                        chain.add(q2n);
                        next = q2n;
                    }
                }
            }
            int tmin = q.type() == DType.INT8 ? QuantMath.INT8_MIN : QuantMath.INT16_MIN;
            int tmax = q.type() == DType.INT8 ? QuantMath.INT8_MAX : QuantMath.INT16_MAX;
            int qlo = lo == Float.NEGATIVE_INFINITY ? tmin : Math.max(tmin, QuantMath.quantize(lo, q.scale(), 0, tmin, tmax));
            int qhi = hi == Float.POSITIVE_INFINITY ? tmax : Math.min(tmax, QuantMath.quantize(hi, q.scale(), 0, tmin, tmax));
            params.setOutput(j, q.scale(), q.type(), qlo, qhi);
            outputs.add(next.output(0));
        }
        Kernel k = null;
        OpContext ctx = new OpContext(n, opset, constants, null);
        k = op.prepareInteger(ctx, params);
        if (k == null && (QuantPlan.movesValues(n) || n.opType().equals("Relu") || n.opType().equals("Concat"))
                && sameScales(params, n)) {
            k = kernels.get(n);
        }
        if (k == null) {
            return null;
        }
        for (Node c : chain) {
            absorbed.put(c, Boolean.TRUE);
        }
        String act = "";
        for (Node c : chain) {
            if (c.opType().equals("Relu") || c.opType().equals("Clip")) {
                act = "+" + c.opType();
            }
        }
        String label = "int " + n.opType() + act;
        return new Step(n, label, k, inputs, outputs, List.of(), params, List.copyOf(chain));
    }

    /** Every quantized input has the output's scale and the output range is the type's whole range. */
    private static boolean sameScales(IntegerParams p, Node n) {
        for (int j = 0; j < n.outputs().size(); j++) {
            DType t = p.outputType(j);
            if (t == null) {
                continue;
            }
            int tmin = t == DType.INT8 ? QuantMath.INT8_MIN : QuantMath.INT16_MIN;
            int tmax = t == DType.INT8 ? QuantMath.INT8_MAX : QuantMath.INT16_MAX;
            if (p.lo(j) != tmin || p.hi(j) != tmax) {
                return false;
            }
            for (int i = 0; i < p.inputCount(); i++) {
                if (p.isQuantizedInput(i) && p.inputScale(i) != p.outputScale(j)) {
                    return false;
                }
            }
        }
        for (int i = 0; i < p.inputCount(); i++) {
            if (p.weight(i) != null || p.bias(i) != null) {
                return false;
            }
        }
        return true;
    }

    private static Node sole(Graph g, Value v) {
        if (v.uses().size() != 1 || g.outputs().contains(v)) {
            return null;
        }
        return v.uses().get(0).node();
    }

    private static float[] clipBounds(Node clip, Map<Value, Tensor> constants, int opset) {
        if (opset < 11) {
            return new float[] {clip.attrs().getFloat("min", Float.NEGATIVE_INFINITY),
                    clip.attrs().getFloat("max", Float.POSITIVE_INFINITY)};
        }
        float lo = Float.NEGATIVE_INFINITY;
        float hi = Float.POSITIVE_INFINITY;
        if (clip.hasInput(1)) {
            Tensor t = constants.get(clip.input(1));
            if (t == null || t.size() != 1) {
                return null;
            }
            lo = t.getFloat(0);
        }
        if (clip.hasInput(2)) {
            Tensor t = constants.get(clip.input(2));
            if (t == null || t.size() != 1) {
                return null;
            }
            hi = t.getFloat(0);
        }
        return new float[] {lo, hi};
    }

    private static boolean zeroPoint(Node n, Map<Value, Tensor> constants) {
        if (!n.hasInput(2)) {
            return true;
        }
        Tensor zp = constants.get(n.input(2));
        if (zp == null) {
            return false;
        }
        for (int i = 0; i < zp.size(); i++) {
            if (zp.getLong(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static Dq dequantize(Node n, Map<Value, Tensor> constants) {
        Value in = n.input(0);
        Tensor scale = constants.get(n.input(1));
        if (in == null || scale == null || scale.dtype() != DType.FLOAT || !zeroPoint(n, constants)) {
            return null;
        }
        // without a zero point the stored type decides; int8/int16/int32 only
        float[] s = scale.toFloatArray().clone();
        for (float v : s) {
            if (!(v > 0)) {
                return null;
            }
        }
        Tensor c = constants.get(in);
        DType t = c != null ? c.dtype() : in.type().dtype();
        if (n.hasInput(2) && constants.get(n.input(2)).dtype() != t) {
            return null;
        }
        int axis = (int) n.attrs().getInt("axis", 1);
        if (c == null) {
            return (t == DType.INT8 || t == DType.INT16) && s.length == 1 ? new Dq(n, in, null, s, axis, false) : null;
        }
        if (t == DType.INT32) {
            return new Dq(n, in, c, s, axis < 0 ? axis + c.rank() : axis, true);
        }
        if (t == DType.INT8) {
            return new Dq(n, in, c, s, axis < 0 ? axis + c.rank() : axis, false);
        }
        return null;
    }

    private static Q quantize(Node n, Map<Value, Tensor> constants) {
        Tensor scale = constants.get(n.input(1));
        if (scale == null || scale.size() != 1 || scale.dtype() != DType.FLOAT || !n.hasInput(2)) {
            return null; // no zero point means uint8
        }
        Tensor zp = constants.get(n.input(2));
        if (zp == null || zp.size() != 1 || zp.getLong(0) != 0 || !(zp.dtype() == DType.INT8 || zp.dtype() == DType.INT16)) {
            return null;
        }
        float s = scale.getFloat(0);
        return s > 0 ? new Q(n, s, zp.dtype()) : null;
    }

    static String describe(float[] v) {
        return Arrays.toString(v);
    }
}
