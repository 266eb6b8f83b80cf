package dev.kiln.core.passes;

import dev.kiln.core.ir.Node;

/**
 * Removes Identity nodes.
 *
 * <pre>
 * Before:     x -> Identity -> y -> consumers
 * After:      x -> consumers
 * Conditions: when y is a graph output, x must be renameable to y's name (computed by a node,
 *             not itself an output); otherwise the Identity stays.
 * Formula:    y = x
 * </pre>
 */
public final class EliminateIdentity extends EliminateNoOp {
    @Override
    public String name() {
        return "eliminate_identity";
    }

    @Override
    protected int passThroughInput(Node n, PassContext ctx) {
        return n.opType().equals("Identity") ? 0 : -1;
    }
}
