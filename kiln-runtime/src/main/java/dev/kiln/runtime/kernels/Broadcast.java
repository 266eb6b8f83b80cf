package dev.kiln.runtime.kernels;

import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.util.Parallel;

/**
 * Iterates a numpy-style broadcast of two operands as contiguous runs: the output is visited in
 * order, and each run reads operand A and B with a fixed stride. Adjacent dimensions are merged
 * first, so equal shapes and scalar operands become one long run and a per-channel operand
 * ({@code [1,C,H,W]} with {@code [1,C,1,1]}) becomes C runs of H*W against one value.
 *
 * <p>Strides are always 1 or 0 (0 for the broadcast operand), so a run body can specialise its
 * loop for the three cases vector-vector, vector-scalar and scalar-vector.
 */
public final class Broadcast {
    private Broadcast() {
    }

    /** One run: {@code n} output elements from {@code out}, reading A from {@code a} by {@code as} and B from {@code b} by {@code bs}. */
    @FunctionalInterface
    public interface RunBody {
        void run(int out, int a, int as, int b, int bs, int n);
    }

    /** Visits every element of the broadcast of shapes a and b (output shape {@code out}), serially. */
    public static void forEach(int[] shapeA, int[] shapeB, int[] out, RunBody body) {
        Plan p = new Plan(shapeA, shapeB, out);
        p.visit(0, p.total, body);
    }

    /**
     * Like {@link #forEach(int[], int[], int[], RunBody)}, with the output split into ranges of at
     * least {@code grain} elements run on {@code parallel}'s threads. Runs may be cut at range
     * boundaries, so the body must not assume a run starts at the beginning of a row.
     */
    public static void forEach(int[] shapeA, int[] shapeB, int[] out, Parallel parallel, int grain, RunBody body) {
        Plan p = new Plan(shapeA, shapeB, out);
        if (p.total <= grain || parallel.threads() == 1) {
            p.visit(0, p.total, body);
        } else {
            parallel.forRangeBalanced(p.total, grain, (from, to) -> p.visit(from, to, body));
        }
    }

    /** The merged iteration space: dims and per-operand strides, innermost last. */
    private static final class Plan {
        final int total;
        final int m;
        final int[] dims;
        final int[] ma;
        final int[] mb;

        Plan(int[] shapeA, int[] shapeB, int[] out) {
            int rank = out.length;
            int[] sa = Shapes.broadcastStrides(shapeA, out);
            int[] sb = Shapes.broadcastStrides(shapeB, out);
            dims = new int[rank];
            ma = new int[rank];
            mb = new int[rank];
            int k = 0;
            for (int i = 0; i < rank; i++) {
                if (out[i] == 1) {
                    continue;
                }
                // merge with the previous dim when both operands step through them uniformly
                if (k > 0 && ma[k - 1] == sa[i] * out[i] && mb[k - 1] == sb[i] * out[i]) {
                    dims[k - 1] *= out[i];
                    ma[k - 1] = sa[i];
                    mb[k - 1] = sb[i];
                } else {
                    dims[k] = out[i];
                    ma[k] = sa[i];
                    mb[k] = sb[i];
                    k++;
                }
            }
            m = k;
            total = Shapes.size(out);
        }

        /** Visits output elements [from, to). */
        void visit(int from, int to, RunBody body) {
            if (from >= to) {
                return;
            }
            if (m == 0) {
                body.run(0, 0, 0, 0, 0, 1);
                return;
            }
            int inner = dims[m - 1];
            int ia = ma[m - 1];
            int ib = mb[m - 1];
            // position of `from`: run index split over the outer dims, offset within the run
            int run = from / inner;
            int j = from - run * inner;
            int[] counter = new int[m];
            int offA = 0;
            int offB = 0;
            for (int d = m - 2; d >= 0 && run > 0; d--) {
                int c = run % dims[d];
                run /= dims[d];
                counter[d] = c;
                offA += c * ma[d];
                offB += c * mb[d];
            }
            int pos = from;
            while (true) {
                int n = Math.min(inner - j, to - pos);
                body.run(pos, offA + j * ia, ia, offB + j * ib, ib, n);
                pos += n;
                if (pos >= to) {
                    return;
                }
                j = 0;
                for (int d = m - 2; d >= 0; d--) {
                    counter[d]++;
                    offA += ma[d];
                    offB += mb[d];
                    if (counter[d] < dims[d]) {
                        break;
                    }
                    offA -= ma[d] * counter[d];
                    offB -= mb[d] * counter[d];
                    counter[d] = 0;
                }
            }
        }
    }
}
