package dev.kiln.core.passes;

import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;

import java.util.ArrayList;

/**
 * The shape shared by the passes that remove a node whose output equals one of its inputs:
 * readers of the output read that input instead, and the node goes. A graph output keeps its name
 * (the input is renamed); when the input cannot be renamed (a graph input, an initializer, another
 * graph output) the node stays. The node's other outputs must be unused.
 */
public abstract class EliminateNoOp extends Pass {
    /** The index of the input that n's output 0 equals, or -1 when n computes something. */
    protected abstract int passThroughInput(Node n, PassContext ctx);

    @Override
    public boolean run(Graph g, PassContext ctx) {
        boolean changed = false;
        for (Node n : new ArrayList<>(g.nodes())) {
            if (n.graph() != g || !n.domain().isEmpty() || n.outputs().isEmpty() || n.output(0) == null
                    || !otherOutputsUnused(n)) {
                continue;
            }
            int i = passThroughInput(n, ctx);
            Value x = i < 0 ? null : n.input(i);
            if (x == null || !Rewrites.canReplace(n.output(0), x)) {
                continue;
            }
            Rewrites.replaceOutput(g, n, n.output(0), x, false);
            ctx.rewrote("removed '" + n.name() + "' (" + n.opType() + ")");
            changed = true;
        }
        return changed;
    }

    private static boolean otherOutputsUnused(Node n) {
        for (int i = 1; i < n.outputs().size(); i++) {
            Value o = n.output(i);
            if (o != null && (!o.uses().isEmpty() || Rewrites.isReferencedOutsideUses(o))) {
                return false;
            }
        }
        return true;
    }

    /** True when v's type is fully known and equal to w's (element type and every dim). */
    static boolean sameStaticType(Value v, Value w) {
        return v != null && w != null && v.type().isStatic() && w.type().isStatic() && v.type().dtype() != null
                && v.type().dtype() == w.type().dtype() && java.util.Arrays.equals(v.type().shape(), w.type().shape());
    }
}
