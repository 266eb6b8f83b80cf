package dev.kiln.core.passes;

import dev.kiln.core.ir.Node;

/**
 * Removes reshapes that keep the shape.
 *
 * <pre>
 * Before:     x [shape S] -> Reshape / Flatten / Squeeze / Expand -> y [shape S]
 * After:      x
 * Conditions: x and y have fully known, equal types, and y's is proven rather than declared: the
 *             target shape (Reshape, Expand) or axes (Squeeze) are constants, so that a stale
 *             shape annotation of the source model cannot pass for a fact; y's name survives as
 *             for Identity.
 * Formula:    y = x (the same elements in the same order)
 * </pre>
 */
public final class EliminateNoOpReshape extends EliminateNoOp {
    @Override
    public String name() {
        return "eliminate_nop_reshape";
    }

    @Override
    protected int passThroughInput(Node n, PassContext ctx) {
        switch (n.opType()) {
            case "Reshape":
            case "Expand":
                return Rewrites.constantInput(n, 1) != null && sameStaticType(n.input(0), n.output(0)) ? 0 : -1;
            case "Squeeze":
                return (!n.hasInput(1) || Rewrites.constantInput(n, 1) != null) && sameStaticType(n.input(0), n.output(0)) ? 0 : -1;
            case "Flatten":
                return sameStaticType(n.input(0), n.output(0)) ? 0 : -1;
            default:
                return -1;
        }
    }
}
