package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Transpose: output dim i is input dim perm[i]; perm defaults to reversing the dims. Float layouts
 * such as NCHW to NHWC use a cache-blocked copy; permutations that keep the innermost dim copy
 * whole rows.
 */
public final class TransposeKernel extends NamedFactory {
    public static final TransposeKernel INSTANCE = new TransposeKernel();

    private TransposeKernel() {
        super("Transpose", 67);
    }

    /** The permutation for a given rank: the attribute (validated) or the reversal. */
    public static int[] perm(long[] attr, int rank) {
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
    public Kernel prepare(KernelContext ctx) {
        long[] attr = ctx.attrs().getInts("perm", null);
        return (in, ec) -> new Tensor[] {Movement.transpose(in[0], in[0].shape(), perm(attr, in[0].rank()), ec.parallel())};
    }
}
