package dev.kiln.core.ops;

import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.TensorType;
import dev.kiln.runtime.tensor.Shapes;

/** Shape-inference helpers shared by operators. Shapes use -1 for unknown dims and null for unknown rank. */
public final class Infer {
    private Infer() {
    }

    /** Numpy broadcast of partially known shapes; null when any rank is unknown. */
    public static int[] broadcast(int[]... shapes) {
        return Shapes.broadcastPartial(shapes);
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
