package dev.kiln.core.passes;

import dev.kiln.core.ir.Node;
import dev.kiln.runtime.tensor.DType;

/**
 * Removes casts to the type the value already has.
 *
 * <pre>
 * Before:     x (type T) -> Cast(to = T) -> y        (or CastLike(x, t) with t of type T)
 * After:      x
 * Conditions: x's element type is known and equals the target; y's name survives as for Identity.
 * Formula:    y = x
 * </pre>
 */
public final class EliminateCastToSameType extends EliminateNoOp {
    @Override
    public String name() {
        return "eliminate_cast_to_same_type";
    }

    @Override
    protected int passThroughInput(Node n, PassContext ctx) {
        DType from = n.input(0) == null ? null : n.input(0).type().dtype();
        if (from == null) {
            return -1;
        }
        if (n.opType().equals("Cast") && n.attrs().has("to")) {
            int to = (int) n.attrs().getInt("to", 0);
            return from.onnxCode() == to ? 0 : -1;
        }
        if (n.opType().equals("CastLike") && n.input(1) != null) {
            return from == n.input(1).type().dtype() ? 0 : -1;
        }
        return -1;
    }
}
