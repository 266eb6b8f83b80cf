package dev.kiln.core.report;

import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.quant.QuantPlan;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Groups connected integer ("BPU") nodes into subgraphs id(0), id(1)... in order of first
 * appearance; CPU nodes get "--". Two BPU nodes are connected when one reads the other's output.
 */
public final class Subgraphs {
    private Subgraphs() {
    }

    public static Map<Node, String> label(Graph g, QuantPlan plan) {
        Map<Node, Node> parent = new IdentityHashMap<>();
        for (Node n : g.nodes()) {
            if (plan.placement(n) == QuantPlan.Placement.BPU) {
                parent.put(n, n);
            }
        }
        for (Node n : g.nodes()) {
            if (!parent.containsKey(n)) {
                continue;
            }
            for (Value v : n.inputs()) {
                Node p = v == null ? null : v.producer();
                if (p != null && parent.containsKey(p)) {
                    union(parent, n, p);
                }
            }
        }
        Map<Node, String> ids = new IdentityHashMap<>();
        Map<Node, String> out = new IdentityHashMap<>();
        for (Node n : g.nodes()) {
            if (!parent.containsKey(n)) {
                out.put(n, "--");
                continue;
            }
            Node root = find(parent, n);
            String id = ids.computeIfAbsent(root, r -> "id(" + ids.size() + ")");
            out.put(n, id);
        }
        return out;
    }

    private static Node find(Map<Node, Node> parent, Node n) {
        Node r = n;
        while (parent.get(r) != r) {
            r = parent.get(r);
        }
        Node c = n;
        while (parent.get(c) != r) {
            Node next = parent.get(c);
            parent.put(c, r);
            c = next;
        }
        return r;
    }

    private static void union(Map<Node, Node> parent, Node a, Node b) {
        Node ra = find(parent, a);
        Node rb = find(parent, b);
        if (ra != rb) {
            parent.put(ra, rb);
        }
    }
}
