package dev.kiln.core.passes;

import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.ops.OpRegistry;
import dev.kiln.core.ops.TypeInference;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.Map;

/**
 * Removes the quantization nodes of a quantization-aware-trained model so that it can be quantized
 * again from the thresholds they carried (calibration_type load).
 *
 * <p>Before: {@code x -> QuantizeLinear -> DequantizeLinear -> y} on activations, and
 * {@code DequantizeLinear(W_q)} or {@code DequantizeLinear(QuantizeLinear(W))} on weights.
 * After: readers of y read x; the weight is the dequantized float constant.
 * Conditions: the scales and zero points are constants. Formula: the float model QAT simulated,
 * minus the rounding of the fake quantization (the thresholds are kept by the caller).
 */
public final class StripQuantization {
    private StripQuantization() {
    }

    /** Strips in place; returns the number of nodes removed. */
    public static int apply(Model m) {
        Map<Value, Tensor> constants = TypeInference.run(m);
        Graph g = m.graph();
        int removed = 0;
        for (Node dq : new ArrayList<>(g.nodes())) {
            if (!dq.opType().equals("DequantizeLinear") || !dq.domain().isEmpty() || !g.nodes().contains(dq)) {
                continue;
            }
            Value in = dq.input(0);
            Node q = in.producer();
            Value out = dq.output(0);
            Tensor folded = constants.get(out);
            if (folded != null) {
                // a weight: the dequantized constant replaces the chain
                Value c = g.addConstant(out.name() + "_float", new ConstTensor(folded));
                g.replaceAllUses(out, c);
            } else if (q != null && q.opType().equals("QuantizeLinear") && q.domain().isEmpty()) {
                g.replaceAllUses(out, q.input(0));
            } else {
                continue;
            }
            g.removeNode(dq);
            removed++;
            if (q != null && q.output(0).uses().isEmpty() && !g.outputs().contains(q.output(0))) {
                g.removeNode(q);
                removed++;
            }
        }
        java.util.List<Node> dead = new ArrayList<>(g.deadNodes());
        java.util.Collections.reverse(dead);
        for (Node n : dead) {
            if (n.outputs().stream().allMatch(o -> o == null || o.uses().isEmpty())) {
                g.removeNode(n);
                removed++;
            }
        }
        for (Value init : g.initializers()) {
            if (init.uses().isEmpty() && !g.outputs().contains(init)) {
                g.removeInitializer(init);
            }
        }
        TypeInference.run(m, OpRegistry.standard());
        return removed;
    }
}
