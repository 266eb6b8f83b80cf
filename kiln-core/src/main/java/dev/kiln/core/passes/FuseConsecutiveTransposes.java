package dev.kiln.core.passes;

import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;

import java.util.ArrayList;

/**
 * Replaces a transpose of a transpose by one transpose of the original tensor.
 *
 * <pre>
 * Before:     x -> Transpose(p1) -> t -> Transpose(p2) -> y
 * After:      x -> Transpose(p) -> y          (the first Transpose stays if t has other readers)
 * Conditions: both permutations known (explicit, or the default reversal with a known rank).
 * Formula:    p[j] = p1[p2[j]]; an identity p is then removed by EliminateNoOpTranspose.
 * </pre>
 */
public final class FuseConsecutiveTransposes extends Pass {
    @Override
    public String name() {
        return "fuse_consecutive_transposes";
    }

    @Override
    public boolean run(Graph g, PassContext ctx) {
        boolean changed = false;
        for (Node second : new ArrayList<>(g.nodes())) {
            if (!isTranspose(second) || second.graph() != g) {
                continue;
            }
            Value t = second.input(0);
            Node first = t == null ? null : t.producer();
            if (first == null || first.graph() != g || !isTranspose(first)) {
                continue;
            }
            long[] p1 = perm(first);
            long[] p2 = perm(second);
            if (p1 == null || p2 == null || p1.length != p2.length) {
                continue;
            }
            long[] p = new long[p2.length];
            for (int j = 0; j < p.length; j++) {
                p[j] = p1[(int) p2[j]];
            }
            second.attrs().put(Attribute.of("perm", p));
            second.setInput(0, first.input(0));
            ctx.rewrote("merged '" + first.name() + "' into '" + second.name() + "' (Transpose)");
            changed = true;
        }
        return changed;
    }

    private static boolean isTranspose(Node n) {
        return n.opType().equals("Transpose") && n.domain().isEmpty() && n.input(0) != null;
    }

    /** The permutation, normalized to non-negative entries; null when the rank is unknown or it is invalid. */
    private static long[] perm(Node n) {
        long[] p = n.attrs().getInts("perm", null);
        if (p == null) {
            if (!n.input(0).type().hasRank()) {
                return null;
            }
            int r = n.input(0).type().rank();
            p = new long[r];
            for (int i = 0; i < r; i++) {
                p[i] = r - 1 - i;
            }
            return p;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] = p[i] < 0 ? p[i] + p.length : p[i];
            if (p[i] < 0 || p[i] >= p.length) {
                return null;
            }
        }
        return p;
    }
}
