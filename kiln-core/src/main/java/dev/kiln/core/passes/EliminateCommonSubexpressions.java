package dev.kiln.core.passes;

import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes each expression once: a node that repeats an earlier node (same op, same attributes,
 * same inputs) is dropped and its readers read the earlier node's outputs.
 *
 * <pre>
 * Before:     x -> Slice(starts 0, ends 2) -> a -> ...;   x -> Slice(starts 0, ends 2) -> b -> ...
 * After:      x -> Slice(starts 0, ends 2) -> a -> ... (both readers)
 * Conditions: default ONNX domain, no random ops, no subgraph or tensor attributes; the same
 *             outputs present; the repeat's outputs are no graph outputs.
 * Formula:    ONNX operators are functions of their inputs and attributes, so both compute the same.
 * </pre>
 */
public final class EliminateCommonSubexpressions extends Pass {
    private static final Set<String> RANDOM = Set.of("RandomNormal", "RandomNormalLike", "RandomUniform",
            "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout");

    @Override
    public String name() {
        return "eliminate_common_subexpressions";
    }

    @Override
    public boolean run(Graph g, PassContext ctx) {
        Map<Value, Integer> ids = new IdentityHashMap<>();
        Map<String, Node> seen = new HashMap<>();
        boolean changed = false;
        for (Node n : new ArrayList<>(g.nodes())) {
            String key = key(n, ids);
            if (key == null) {
                continue;
            }
            Node first = seen.putIfAbsent(key, n);
            if (first == null || !outputsReplaceable(n)) {
                continue;
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                if (n.output(i) != null) {
                    Rewrites.replaceAllUses(g, n.output(i), first.output(i));
                }
            }
            g.removeNode(n);
            ctx.rewrote("removed '" + n.name() + "' (" + n.opType() + "): it repeats '" + first.name() + "'");
            changed = true;
        }
        return changed;
    }

    private static boolean outputsReplaceable(Node n) {
        for (Value o : n.outputs()) {
            if (o != null && Rewrites.isReferencedOutsideUses(o)) {
                return false;
            }
        }
        return true;
    }

    /** What the node computes, as a string; null when it must not be merged. */
    private static String key(Node n, Map<Value, Integer> ids) {
        if (!n.domain().isEmpty() || RANDOM.contains(n.opType()) || n.outputs().isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder(n.opType()).append('(');
        for (Value v : n.inputs()) {
            sb.append(v == null ? "-" : ids.computeIfAbsent(v, k -> ids.size())).append(',');
        }
        sb.append(")[");
        List<Attribute> attrs = new ArrayList<>(n.attrs().all());
        attrs.sort(Comparator.comparing(Attribute::name));
        for (Attribute a : attrs) {
            switch (a.kind()) {
                case TENSOR:
                case TENSORS:
                case GRAPH:
                case GRAPHS:
                    return null;
                default:
                    sb.append(a).append(';');
            }
        }
        sb.append("]->");
        for (Value o : n.outputs()) {
            sb.append(o == null ? '-' : '+');
        }
        return sb.toString();
    }
}
