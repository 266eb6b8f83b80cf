package dev.kiln.core.passes;

import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Value;

import java.util.List;

/**
 * Removes initializers that nothing reads.
 *
 * <pre>
 * Before:     initializer W, read by no node, no subgraph and no graph output
 * After:      W is gone from the model file
 * Conditions: no uses anywhere (subgraph nodes included), not a graph output, not returned by a subgraph.
 * Formula:    none.
 * </pre>
 */
public final class RemoveUnusedInitializers extends Pass {
    @Override
    public String name() {
        return "remove_unused_initializers";
    }

    @Override
    public boolean run(Graph g, PassContext ctx) {
        List<Value> returned = Rewrites.subgraphOutputs(g);
        int removed = 0;
        for (Value v : g.initializers()) {
            if (v.uses().isEmpty() && !v.isGraphOutput() && !returned.contains(v)) {
                g.removeInitializer(v);
                removed++;
            }
        }
        if (removed > 0) {
            ctx.rewrote("removed " + removed + " unused initializer" + (removed == 1 ? "" : "s"));
        }
        return removed > 0;
    }
}
