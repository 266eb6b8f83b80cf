package dev.kiln.core.passes;

import dev.kiln.core.ir.Node;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Removes Dropout nodes, which pass their input through at inference.
 *
 * <pre>
 * Before:     x -> Dropout -> y (, mask unused)
 * After:      x
 * Conditions: the mask output is absent or unused; training_mode (opset 12) is absent or a
 *             constant false, or the ratio is a constant 0; y's name survives as for Identity.
 * Formula:    y = x
 * </pre>
 */
public final class EliminateDropout extends EliminateNoOp {
    @Override
    public String name() {
        return "eliminate_dropout";
    }

    @Override
    protected int passThroughInput(Node n, PassContext ctx) {
        if (!n.opType().equals("Dropout")) {
            return -1;
        }
        if (ctx.opset(n) >= 12 && n.hasInput(2)) {
            Tensor training = Rewrites.constantInput(n, 2);
            Tensor ratio = n.hasInput(1) ? Rewrites.constantInput(n, 1) : null;
            boolean off = training != null && training.size() == 1 && !training.getBool(0);
            boolean zeroRatio = ratio != null && ratio.size() == 1 && ratio.getDouble(0) == 0;
            if (!off && !zeroRatio) {
                return -1;
            }
        }
        return 0;
    }
}
