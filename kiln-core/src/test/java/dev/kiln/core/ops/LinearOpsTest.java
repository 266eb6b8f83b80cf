package dev.kiln.core.ops;

import dev.kiln.core.testing.TestTensors;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.kiln.core.ops.OpHarness.attrs;
import static dev.kiln.core.ops.OpHarness.node;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Gemm and MatMul on the paths the backend suite's small cases do not reach: a single row (the
 * matrix-vector product of classifier heads) and constant weights packed once and reused by later
 * runs, with one and two threads.
 */
class LinearOpsTest {
    private static final Tolerance TOL = OpHarness.VS_ORT;

    /** Positive operands: no cancellation in long sums, so summation order barely matters. */
    private static Tensor pos(long seed, int... shape) {
        return TestTensors.uniform(seed, 0f, 1f, shape);
    }

    private static void sameOnThreads(OpHarness.Case c) throws Exception {
        c.matchesOrt();
        Tensor ref = c.ort()[0];
        for (int threads = 1; threads <= 2; threads++) {
            // two runs of one executor: the second reads the packing made by the first
            var ex = new dev.kiln.core.exec.Executor(c.model(), threads);
            for (int run = 0; run < 2; run++) {
                Tensor got = ex.run(c.feeds()).values().iterator().next();
                int t = threads;
                int r = run;
                assertNull(TOL.mismatch(ref, got), () -> c.op + " threads " + t + " run " + r);
            }
        }
    }

    @Test
    void gemmWithOneRow() throws Exception {
        for (int tb = 0; tb <= 1; tb++) {
            for (int k : new int[] {1, 17, 1280}) {
                int n = 1000;
                Tensor a = pos(1, 1, k);
                Tensor b = pos(2, tb == 1 ? n : k, tb == 1 ? k : n);
                Tensor c = pos(3, n);
                sameOnThreads(node("Gemm", 13, attrs("transB", tb, "alpha", 0.5f, "beta", 2f), a, b, c).constant(1, 2));
                sameOnThreads(node("Gemm", 13, attrs("transB", tb), a, b, c));
            }
        }
        // transposed one-row A (stored K x 1)
        sameOnThreads(node("Gemm", 13, attrs("transA", 1), pos(4, 33, 1), pos(5, 33, 65))
                .constant(1));
    }

    @Test
    void gemmWithConstantWeightsAndManyRows() throws Exception {
        for (int tb = 0; tb <= 1; tb++) {
            Tensor a = pos(6, 37, 70);
            Tensor b = pos(7, tb == 1 ? 130 : 70, tb == 1 ? 70 : 130);
            sameOnThreads(node("Gemm", 13, attrs("transB", tb), a, b, pos(8, 130)).constant(1, 2));
        }
    }

    @Test
    void matMulWithOneRowAndConstantWeights() throws Exception {
        // a linear layer on channels-last activations, batch of rows broadcast against 2-D weights
        sameOnThreads(node("MatMul", 13, null, pos(9, 1, 7, 9, 96), pos(10, 96, 65))
                .constant(1));
        sameOnThreads(node("MatMul", 13, null, pos(11, 3, 1, 63), pos(12, 63, 17))
                .constant(1));
        sameOnThreads(node("MatMul", 13, null, pos(13, 63), pos(14, 63, 1023))
                .constant(1));
        sameOnThreads(node("MatMul", 13, null, pos(15, 2, 1, 16), pos(16, 2, 16, 17)));
    }
}
