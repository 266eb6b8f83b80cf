package dev.kiln.core.passes;

import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;

import java.util.List;

/**
 * Removes nodes that no graph output depends on.
 *
 * <pre>
 * Before:     x -> A -> output;  x -> B -> C   (C's result read by nobody)
 * After:      x -> A -> output
 * Conditions: no path from the node to a graph output, counting values that subgraphs read.
 * Formula:    none: the outputs are computed by the same nodes as before.
 * </pre>
 */
public final class RemoveDeadNodes extends Pass {
    @Override
    public String name() {
        return "remove_dead_nodes";
    }

    @Override
    public boolean run(Graph g, PassContext ctx) {
        List<Node> dead = g.deadNodes();
        for (int i = dead.size() - 1; i >= 0; i--) {
            Node n = dead.get(i);
            g.removeNode(n);
            ctx.rewrote("removed '" + n.name() + "' (" + n.opType() + "): no output depends on it");
        }
        return !dead.isEmpty();
    }
}
