package dev.kiln.runtime.kernels;

import dev.kiln.runtime.tensor.Shapes;

/**
 * Iterates a numpy-style broadcast of two operands as contiguous runs: the output is visited in
 * order, and each run reads operand A and B with a fixed stride (1 or 0). Adjacent dimensions are
 * merged first, so equal shapes and scalar operands become one long run.
 */
public final class Broadcast {
    private Broadcast() {
    }

    /** One run: {@code n} output elements from {@code out}, reading A from {@code a} by {@code as} and B from {@code b} by {@code bs}. */
    @FunctionalInterface
    public interface RunBody {
        void run(int out, int a, int as, int b, int bs, int n);
    }

    /** Visits every element of the broadcast of shapes a and b (output shape {@code out}). */
    public static void forEach(int[] shapeA, int[] shapeB, int[] out, RunBody body) {
        int rank = out.length;
        int[] sa = Shapes.broadcastStrides(shapeA, out);
        int[] sb = Shapes.broadcastStrides(shapeB, out);
        // merge adjacent dims when both operands step through them uniformly
        int[] dims = new int[rank];
        int[] ma = new int[rank];
        int[] mb = new int[rank];
        int m = 0;
        for (int i = 0; i < rank; i++) {
            if (out[i] == 1) {
                continue;
            }
            if (m > 0 && ma[m - 1] == sa[i] * out[i] && mb[m - 1] == sb[i] * out[i]) {
                dims[m - 1] *= out[i];
                ma[m - 1] = sa[i];
                mb[m - 1] = sb[i];
            } else {
                dims[m] = out[i];
                ma[m] = sa[i];
                mb[m] = sb[i];
                m++;
            }
        }
        int total = Shapes.size(out);
        if (total == 0) {
            return;
        }
        if (m == 0) {
            body.run(0, 0, 0, 0, 0, 1);
            return;
        }
        int inner = dims[m - 1];
        int ia = ma[m - 1];
        int ib = mb[m - 1];
        int outer = total / inner;
        int[] counter = new int[m];
        int offA = 0;
        int offB = 0;
        for (int r = 0; r < outer; r++) {
            body.run(r * inner, offA, ia, offB, ib, inner);
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
