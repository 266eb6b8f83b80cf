package dev.kiln.core.passes;

import dev.kiln.core.ir.Node;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Removes pads of zero width.
 *
 * <pre>
 * Before:     x -> Pad(pads all 0) -> y
 * After:      x
 * Conditions: the pads (attribute before opset 11, constant input after) are all zero, whatever
 *             the mode; y's name survives as for Identity.
 * Formula:    y = x
 * </pre>
 */
public final class EliminateNoOpPad extends EliminateNoOp {
    @Override
    public String name() {
        return "eliminate_nop_pad";
    }

    @Override
    protected int passThroughInput(Node n, PassContext ctx) {
        if (!n.opType().equals("Pad")) {
            return -1;
        }
        long[] pads;
        if (ctx.opset(n) < 11) {
            pads = n.attrs().getInts("pads", n.attrs().getInts("paddings", null));
        } else {
            Tensor t = Rewrites.constantInput(n, 1);
            pads = t == null ? null : t.toLongArray();
        }
        if (pads == null) {
            return -1;
        }
        for (long p : pads) {
            if (p != 0) {
                return -1;
            }
        }
        return 0;
    }
}
