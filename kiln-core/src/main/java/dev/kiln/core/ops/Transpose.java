package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.ExecContext;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Transpose: output dim i is input dim perm[i]; perm defaults to reversing the dims. Float layouts
 * such as NCHW to NHWC use a cache-blocked copy; permutations that keep the innermost dim copy
 * whole rows.
 */
public final class Transpose extends Op {
    @Override
    public int opcode() {
        return 67;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    /** The permutation for a given rank: the attribute (validated) or the reversal. */
    private static int[] perm(long[] attr, int rank) {
        int[] p = new int[rank];
        if (attr == null) {
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
            return p;
        }
        if (attr.length != rank) {
            throw new IllegalArgumentException("perm " + Arrays.toString(attr) + " has " + attr.length
                    + " entries for an input of rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            long v = attr[i] < 0 ? attr[i] + rank : attr[i];
            if (v < 0 || v >= rank || seen[(int) v]) {
                throw new IllegalArgumentException("perm " + Arrays.toString(attr) + " is not a permutation of 0.."
                        + (rank - 1));
            }
            seen[(int) v] = true;
            p[i] = (int) v;
        }
        return p;
    }

    @Override
    public void infer(OpContext ctx) {
        long[] attr = ctx.attrs().getInts("perm", null);
        Dim[] dims = Infer.dims(ctx, 0);
        if (dims == null) {
            int[] unknown = null;
            if (attr != null) {
                unknown = new int[attr.length];
                Arrays.fill(unknown, -1);
            }
            ctx.setOutput(0, ctx.inputDtype(0), unknown);
            return;
        }
        int[] p = perm(attr, dims.length);
        Dim[] out = new Dim[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = dims[p[i]];
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        long[] attr = ctx.attrs().getInts("perm", null);
        return (in, ec) -> new Tensor[] {transpose(in[0], perm(attr, in[0].rank()), ec)};
    }

    static Tensor transpose(Tensor x, int[] perm, ExecContext ec) {
        return Movement.transpose(x, x.shape(), perm, ec.parallel());
    }
}
