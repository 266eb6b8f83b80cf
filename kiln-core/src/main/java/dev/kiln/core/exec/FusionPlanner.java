package dev.kiln.core.exec;

import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.core.ops.Fusible;
import dev.kiln.core.ops.Op;
import dev.kiln.core.ops.OpContext;
import dev.kiln.core.ops.OpRegistry;
import dev.kiln.runtime.kernels.math.Activation;
import dev.kiln.runtime.kernels.math.FloatFunctions;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Finds the chains the float executor runs as one kernel when nobody needs the intermediate
 * values: a fusible op (Conv) followed by an Add of a same-shaped residual and/or a Relu, a
 * constant Clip, a HardSwish, a Sigmoid or x * Sigmoid(x) (SiLU), each intermediate used only
 * inside the chain. Elsewhere, x * Sigmoid(x) runs as one pass. A fused step takes the place of
 * its chain's last node, where the residual is sure to exist, and computes exactly what the
 * separate nodes compute.
 */
final class FusionPlanner {
    private FusionPlanner() {
    }

    /** The graph's steps with fusible chains fused; other nodes keep their own kernels. */
    static List<Step> plan(Graph g, Map<Node, dev.kiln.runtime.ops.Kernel> kernels, Map<Value, Tensor> constants, OpRegistry registry,
                           Function<Node, Integer> opsets) {
        Map<Node, Step> fusedAt = new IdentityHashMap<>();
        Map<Node, Boolean> absorbed = new IdentityHashMap<>();
        for (Node head : g.nodes()) {
            Op op = registry.find(head.domain(), head.opType());
            if (absorbed.containsKey(head) || !(op instanceof Fusible) || head.outputs().size() != 1 || !isFloat(head.output(0))) {
                continue;
            }
            List<Node> chain = new ArrayList<>();
            chain.add(head);
            Value cur = head.output(0);
            Value residual = null;
            Node next = unclaimed(soleConsumer(g, cur), absorbed);
            if (next != null && next.opType().equals("Add") && next.domain().isEmpty() && next.inputCount() == 2) {
                Value other = next.input(0) == cur ? next.input(1) : next.input(0);
                if (other != cur && sameStaticShape(other, cur) && isFloat(next.output(0))) {
                    residual = other;
                    chain.add(next);
                    cur = next.output(0);
                    next = unclaimed(soleConsumer(g, cur), absorbed);
                }
            }
            float lo = Float.NEGATIVE_INFINITY;
            float hi = Float.POSITIVE_INFINITY;
            Activation act = Activation.NONE;
            Node[] silu;
            if (is(next, "Relu")) {
                lo = 0f;
                chain.add(next);
                cur = next.output(0);
            } else if (is(next, "Clip")) {
                float[] b = clipBounds(next, constants, opsets.apply(next));
                if (b != null) {
                    lo = b[0];
                    hi = b[1];
                    chain.add(next);
                    cur = next.output(0);
                }
            } else if ((is(next, "HardSwish") || is(next, "Sigmoid")) && isFloat(next.output(0))) {
                act = next.opType().equals("HardSwish") ? Activation.HARD_SWISH : Activation.SIGMOID;
                chain.add(next);
                cur = next.output(0);
            } else if ((silu = siluPair(g, cur, absorbed)) != null) {
                act = Activation.SILU;
                chain.add(silu[0]);
                chain.add(silu[1]);
                cur = silu[1].output(0);
            }
            if (chain.size() == 1) {
                continue;
            }
            int opset = opsets.apply(head);
            Fusible.Fusion fusion = new Fusible.Fusion(lo, hi, residual != null, act);
            var kernel = ((Fusible) op).prepareFused(new OpContext(head, opset, constants, null), fusion);
            List<Value> inputs = new ArrayList<>(head.inputs());
            if (residual != null) {
                while (inputs.size() < ((Fusible) op).residualIndex()) {
                    inputs.add(null);
                }
                inputs.add(residual);
            }
            StringBuilder label = new StringBuilder();
            for (Node n : chain) {
                label.append(label.length() == 0 ? "" : "+").append(n.opType());
                absorbed.put(n, Boolean.TRUE);
            }
            Node last = chain.get(chain.size() - 1);
            fusedAt.put(last, new Step(head, label.toString(), kernel, inputs, List.of(cur), List.of()));
        }
        // x * Sigmoid(x) after anything else: one pass instead of two
        for (Node sig : g.nodes()) {
            if (absorbed.containsKey(sig) || !is(sig, "Sigmoid") || !isFloat(sig.input(0))) {
                continue;
            }
            Node mul = unclaimed(soleConsumer(g, sig.output(0)), absorbed);
            if (!isSiluMul(mul, sig.input(0), sig.output(0))) {
                continue;
            }
            absorbed.put(sig, Boolean.TRUE);
            absorbed.put(mul, Boolean.TRUE);
            fusedAt.put(mul, new Step(sig, "Sigmoid+Mul", FusionPlanner::silu, List.of(sig.input(0)),
                    List.of(mul.output(0)), List.of()));
        }
        List<Step> steps = new ArrayList<>();
        for (Node n : g.nodes()) {
            Step f = fusedAt.get(n);
            if (f != null) {
                steps.add(f);
            } else if (!absorbed.containsKey(n)) {
                steps.add(Step.of(n, kernels.get(n)));
            }
        }
        return steps;
    }

    /** y = x * sigmoid(x), as Sigmoid then Mul compute it in float32. */
    private static Tensor[] silu(Tensor[] in, ExecContext ec) {
        Tensor x = in[0];
        Tensor y = Tensor.allocateForOverwrite(DType.FLOAT, x.shape());
        float[] xf = x.floats();
        float[] yf = y.floats();
        ec.parallel().forRange(x.size(), 1 << 14, (from, to) -> FloatFunctions.silu(xf, from, yf, from, to - from));
        return new Tensor[] {y};
    }

    private static boolean is(Node n, String opType) {
        return n != null && n.domain().isEmpty() && n.opType().equals(opType);
    }

    /** True when mul is a Mul of x and s (either order) producing a float value. */
    private static boolean isSiluMul(Node mul, Value x, Value s) {
        return is(mul, "Mul") && mul.inputCount() == 2 && isFloat(mul.output(0))
                && ((mul.input(0) == x && mul.input(1) == s) || (mul.input(0) == s && mul.input(1) == x));
    }

    /**
     * The Sigmoid and Mul of x * sigmoid(x) when they are v's only two readers (and the Sigmoid's
     * output feeds nothing else), else null.
     */
    private static Node[] siluPair(Graph g, Value v, Map<Node, Boolean> absorbed) {
        if (v.uses().size() != 2 || g.outputs().contains(v)) {
            return null;
        }
        Node a = v.uses().get(0).node();
        Node b = v.uses().get(1).node();
        Node sig = is(a, "Sigmoid") ? a : is(b, "Sigmoid") ? b : null;
        Node mul = sig == a ? b : a;
        if (sig == null || sig.graph() != g || absorbed.containsKey(sig) || absorbed.containsKey(mul)
                || !isFloat(sig.output(0))) {
            return null;
        }
        Node only = soleConsumer(g, sig.output(0));
        return only == mul && isSiluMul(mul, v, sig.output(0)) ? new Node[] {sig, mul} : null;
    }

    private static Node unclaimed(Node n, Map<Node, Boolean> absorbed) {
        return n == null || absorbed.containsKey(n) ? null : n;
    }

    /** The only node reading v, when v is not a graph output and is read once; else null. */
    private static Node soleConsumer(Graph g, Value v) {
        if (v.uses().size() != 1 || g.outputs().contains(v)) {
            return null;
        }
        Node n = v.uses().get(0).node();
        return n.graph() == g ? n : null;
    }

    private static boolean isFloat(Value v) {
        return v != null && v.type().dtype() == DType.FLOAT;
    }

    private static boolean sameStaticShape(Value a, Value b) {
        TensorType ta = a.type();
        TensorType tb = b.type();
        return ta.isStatic() && tb.isStatic() && ta.dtype() == DType.FLOAT && Arrays.equals(ta.shape(), tb.shape());
    }

    /** Constant bounds of a Clip node (attributes before opset 11, inputs after), or null. */
    private static float[] clipBounds(Node clip, Map<Value, Tensor> constants, int opset) {
        if (opset < 11) {
            return new float[] {clip.attrs().getFloat("min", -Float.MAX_VALUE), clip.attrs().getFloat("max", Float.MAX_VALUE)};
        }
        float lo = -Float.MAX_VALUE;
        float hi = Float.MAX_VALUE;
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
}
