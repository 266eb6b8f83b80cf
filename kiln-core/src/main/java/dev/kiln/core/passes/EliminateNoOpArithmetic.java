package dev.kiln.core.passes;

import dev.kiln.core.ir.Node;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Removes arithmetic with a neutral constant.
 *
 * <pre>
 * Before:     x -> Add(x, 0) / Sub(x, 0) / Mul(x, 1) / Div(x, 1) -> y    (Add and Mul either way round)
 * After:      x
 * Conditions: the constant holds only the neutral value; x and y have fully known, equal types
 *             (the constant broadcasts nothing and changes no element type); y's name survives
 *             as for Identity.
 * Formula:    y = x
 * </pre>
 */
public final class EliminateNoOpArithmetic extends EliminateNoOp {
    @Override
    public String name() {
        return "eliminate_nop_arithmetic";
    }

    @Override
    protected int passThroughInput(Node n, PassContext ctx) {
        double neutral;
        boolean commutes;
        switch (n.opType()) {
            case "Add": neutral = 0; commutes = true; break;
            case "Sub": neutral = 0; commutes = false; break;
            case "Mul": neutral = 1; commutes = true; break;
            case "Div": neutral = 1; commutes = false; break;
            default: return -1;
        }
        if (n.inputCount() != 2) {
            return -1;
        }
        for (int side = 0; side < (commutes ? 2 : 1); side++) {
            Tensor k = Rewrites.constantInput(n, 1 - side);
            if (k != null && allEqual(k, neutral) && sameStaticType(n.input(side), n.output(0))) {
                return side;
            }
        }
        return -1;
    }

    private static boolean allEqual(Tensor k, double v) {
        for (int i = 0; i < k.size(); i++) {
            if (k.getDouble(i) != v) {
                return false;
            }
        }
        return true;
    }
}
