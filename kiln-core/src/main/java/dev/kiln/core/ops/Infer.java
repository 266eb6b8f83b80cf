package dev.kiln.core.ops;

import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.TensorType;

/** Shape-inference helpers shared by operators. Shapes use -1 for unknown dims and null for unknown rank. */
public final class Infer {
    private Infer() {
    }

    /** Numpy broadcast of partially known shapes; null when any rank is unknown. */
    public static int[] broadcast(int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) {
            if (s == null) {
                return null;
            }
            rank = Math.max(rank, s.length);
        }
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int known = 1;
            boolean unknown = false;
            for (int[] s : shapes) {
                int j = i - (rank - s.length);
                if (j < 0) {
                    continue;
                }
                int d = s[j];
                if (d < 0) {
                    unknown = true;
                } else if (d != 1) {
                    if (known != 1 && known != d) {
                        throw new IllegalArgumentException("shapes cannot be broadcast together (dimension "
                                + known + " vs " + d + ")");
                    }
                    known = d;
                }
            }
            out[i] = known != 1 ? known : (unknown ? -1 : 1);
        }
        return out;
    }

    /** Copies input i's type to output o (same dtype, same dims, symbolic names kept). */
    public static void sameAsInput(OpContext ctx, int input, int output) {
        TensorType t = ctx.inputType(input);
        ctx.setOutput(output, t);
    }

    /** Input i's dims (null when the rank is unknown), symbolic names kept. */
    public static Dim[] dims(OpContext ctx, int input) {
        return ctx.inputType(input).dims();
    }

    /** Rank of input i, or -1 when unknown. */
    public static int rank(OpContext ctx, int input) {
        TensorType t = ctx.inputType(input);
        return t.hasRank() ? t.rank() : -1;
    }
}
