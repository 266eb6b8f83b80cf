package dev.kiln.core.ir;

import dev.kiln.core.KilnException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the IR's structural invariants and reports each violation with the node at fault: inputs
 * defined before use (topological order, scoping of subgraphs), one producer per value, consistent
 * use lists, unique node names, outputs that exist, constants whose type matches their data. Run
 * after every pass in tests.
 */
public final class IrVerifier {
    private final List<String> problems = new ArrayList<>();

    private IrVerifier() {
    }

    /** Every violation found, one message each (empty when the graph is sound). */
    public static List<String> check(Graph g) {
        IrVerifier v = new IrVerifier();
        v.checkGraph(g, Collections.newSetFromMap(new IdentityHashMap<>()));
        return v.problems;
    }

    /** Throws a KilnException listing the violations, the first line naming the first node at fault. */
    public static void verify(Graph g) {
        List<String> p = check(g);
        if (!p.isEmpty()) {
            throw new KilnException("IR check failed: " + String.join("; ", p));
        }
    }

    private static String where(Node n) {
        return "node '" + n.name() + "' (" + n.opType() + ")" + (n.graph().parent() == null ? ""
                : " in subgraph '" + n.graph().name() + "'");
    }

    private void checkGraph(Graph g, Set<Value> outerAvailable) {
        Set<Value> available = Collections.newSetFromMap(new IdentityHashMap<>());
        available.addAll(outerAvailable);
        for (Value v : g.inputs()) {
            available.add(v);
            if (v.producer() != null) {
                problems.add("graph input '" + v.name() + "' also has a producer " + where(v.producer()));
            }
        }
        for (Value v : g.initializers()) {
            available.add(v);
            ConstTensor c = v.constant();
            if (c == null) {
                problems.add("initializer '" + v.name() + "' has no data");
            } else if (v.type().dtype() != c.tensor().dtype()) {
                problems.add("initializer '" + v.name() + "' is declared " + v.type() + " but holds " + c.tensor().dtype());
            }
        }
        Map<String, Node> names = new java.util.HashMap<>();
        for (Node n : g.nodes()) {
            if (n.graph() != g) {
                problems.add(where(n) + " is listed in graph '" + g.name() + "' but belongs to another graph");
            }
            Node clash = names.put(n.name(), n);
            if (clash != null) {
                problems.add(where(n) + " has the same name as another node");
            }
            for (int i = 0; i < n.inputCount(); i++) {
                Value in = n.input(i);
                if (in == null) {
                    continue;
                }
                if (!available.contains(in)) {
                    problems.add(where(n) + ": input " + i + " '" + in.name() + "' is not defined before this node"
                            + (in.producer() != null ? " (it is produced by " + where(in.producer()) + ")" : ""));
                }
                boolean listed = false;
                for (Value.Use u : in.uses()) {
                    listed |= u.node() == n && u.index() == i;
                }
                if (!listed) {
                    problems.add(where(n) + ": value '" + in.name() + "' does not record its use as input " + i);
                }
            }
            for (Graph sub : n.subgraphs()) {
                if (sub.parent() != g) {
                    problems.add(where(n) + ": subgraph '" + sub.name() + "' has the wrong parent graph");
                }
                checkGraph(sub, available);
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                Value o = n.output(i);
                if (o == null) {
                    continue;
                }
                if (o.producer() != n || o.producerIndex() != i) {
                    problems.add(where(n) + ": output " + i + " '" + o.name() + "' names another producer");
                }
                if (g.localValue(o.name()) != o) {
                    problems.add(where(n) + ": output '" + o.name() + "' is not registered in its graph");
                }
                if (!available.add(o)) {
                    problems.add(where(n) + ": output '" + o.name() + "' is defined twice");
                }
            }
        }
        for (Value v : g.allValues()) {
            for (Value.Use u : v.uses()) {
                if (u.node().input(u.index()) != v) {
                    problems.add("value '" + v.name() + "' records a use by " + where(u.node()) + " input " + u.index()
                            + " that the node does not have");
                }
            }
        }
        for (Value o : g.outputs()) {
            if (o == null || !available.contains(o)) {
                problems.add("graph '" + g.name() + "' output '" + (o == null ? "?" : o.name()) + "' is not defined");
            }
        }
    }
}
