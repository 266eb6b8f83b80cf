package dev.kiln.core.passes;

import dev.kiln.core.ir.Node;

/**
 * Removes transposes by the identity permutation.
 *
 * <pre>
 * Before:     x -> Transpose(perm = [0, 1, ..., r-1]) -> y
 * After:      x
 * Conditions: perm is the identity (no perm means reversal: the identity only for rank 0 or 1);
 *             y's name survives as for Identity.
 * Formula:    y = x
 * </pre>
 */
public final class EliminateNoOpTranspose extends EliminateNoOp {
    @Override
    public String name() {
        return "eliminate_nop_transpose";
    }

    @Override
    protected int passThroughInput(Node n, PassContext ctx) {
        if (!n.opType().equals("Transpose") || n.input(0) == null) {
            return -1;
        }
        long[] perm = n.attrs().getInts("perm", null);
        if (perm == null) {
            return n.input(0).type().hasRank() && n.input(0).type().rank() <= 1 ? 0 : -1;
        }
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
                return -1;
            }
        }
        return 0;
    }
}
