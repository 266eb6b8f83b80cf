package dev.kiln.core.passes;

import dev.kiln.core.ir.Node;

/**
 * Removes reshapes that keep the shape.
 *
 * <pre>
 * Before:     x [shape S] -> Reshape / Flatten / Squeeze / Expand -> y [shape S]
 * After:      x
 * Conditions: x and y have fully known, equal types; y's name survives as for Identity.
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
            case "Flatten":
            case "Squeeze":
            case "Expand":
                return sameStaticType(n.input(0), n.output(0)) ? 0 : -1;
            default:
                return -1;
        }
    }
}
