package dev.kiln.core.passes;

import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;

/**
 * Lets a Reshape read past the shape-only op before it.
 *
 * <pre>
 * Before:     x -> Reshape / Flatten / Squeeze / Unsqueeze -> t -> Reshape(t, s) -> y
 * After:      x -> Reshape(x, s) -> y         (the first node stays if t has other readers)
 * Conditions: s is a constant shape (opset 5 or later) without 0 entries, unless allowzero = 1
 *             makes 0 a literal size: a 0 would otherwise copy a dim of t, which x may not have.
 * Formula:    a reshape depends only on the element order and count, which the first op keeps.
 * </pre>
 */
public final class FuseConsecutiveReshapes extends Pass {
    @Override
    public String name() {
        return "fuse_consecutive_reshapes";
    }

    @Override
    public boolean run(Graph g, PassContext ctx) {
        boolean changed = false;
        for (Node second : new ArrayList<>(g.nodes())) {
            if (second.graph() != g || !second.opType().equals("Reshape") || !second.domain().isEmpty()
                    || ctx.opset(second) < 5) {
                continue;
            }
            Value t = second.input(0);
            Node first = t == null ? null : t.producer();
            Tensor s = Rewrites.constantInput(second, 1);
            if (first == null || first.graph() != g || !first.domain().isEmpty() || !isShapeOnly(first.opType())
                    || s == null || first.input(0) == null || (hasZero(s) && second.attrs().getInt("allowzero", 0) == 0)) {
                continue;
            }
            second.setInput(0, first.input(0));
            ctx.rewrote("'" + second.name() + "' (Reshape) now reads the input of '" + first.name() + "' ("
                    + first.opType() + ")");
            changed = true;
        }
        return changed;
    }

    private static boolean isShapeOnly(String t) {
        return t.equals("Reshape") || t.equals("Flatten") || t.equals("Squeeze") || t.equals("Unsqueeze");
    }

    private static boolean hasZero(Tensor s) {
        for (int i = 0; i < s.size(); i++) {
            if (s.getLong(i) == 0) {
                return true;
            }
        }
        return false;
    }
}
