package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TopK and CumSum. */
class SortScanOpsTest {
    private static NormReduceHarness topK(int opset, Tensor x, long k) {
        NormReduceHarness h = NormReduceHarness.op("TopK", opset).input(x);
        if (opset >= 10) {
            h.constInput(Tensor.vector(k));
        } else {
            h.attr("k", k);
        }
        return h.outputs("values", "indices");
    }

    @Test
    void topKMatchesOnnxRuntime() {
        Tensor x = TestTensors.normal(120, 3, 8, 5);
        for (int opset : new int[] {1, 10, 11}) {
            for (long axis : new long[] {0, 1, 2, -1}) {
                topK(opset, x, 2).attr("axis", axis).assertMatchesOrt();
            }
        }
        for (long k : new long[] {0, 1, 3, 8}) {
            topK(11, x, k).attr("axis", 1L).assertMatchesOrt();
            topK(11, x, k).attr("axis", 1L).attr("largest", 0L).assertMatchesOrt();
        }
        topK(11, TestTensors.integers(121, DType.INT64, -100, 100, 4, 50), 7).assertMatchesOrt();
        topK(11, TestTensors.integers(122, DType.INT32, -100, 100, 4, 50), 7).attr("largest", 0L).assertMatchesOrt();
        topK(11, TestTensors.normal(123, 4, 300).castTo(DType.DOUBLE), 20).assertMatchesOrt();
    }

    @Test
    void topKTiesKeepTheLowerIndexFirst() {
        Tensor x = TestTensors.integers(124, DType.INT32, 0, 3, 5, 40).castTo(DType.FLOAT);
        for (long k : new long[] {1, 2, 5, 17, 40}) {
            topK(11, x, k).assertMatchesOrt();
            topK(11, x, k).attr("largest", 0L).assertMatchesOrt();
        }
        Map<String, Tensor> out = topK(11, Tensor.of(new float[] {1, 3, 3, 2, 3}, 5), 3).runKiln();
        assertArrayEquals(new long[] {1, 2, 4}, out.get("indices").longs());
        assertArrayEquals(new float[] {3, 3, 3}, out.get("values").floats());
    }

    @Test
    void topKRejectsKLargerThanTheAxis() {
        KilnException e = assertThrows(KilnException.class,
                () -> topK(11, TestTensors.normal(1, 2, 3), 4).runKiln());
        assertTrue(e.getMessage().contains("larger than the axis dimension"), e.getMessage());
    }

    @Test
    void cumSumMatchesOnnxRuntime() {
        Tensor x = TestTensors.normal(130, 3, 4, 5);
        for (long exclusive : new long[] {0, 1}) {
            for (long reverse : new long[] {0, 1}) {
                for (long axis : new long[] {0, 1, 2, -1}) {
                    NormReduceHarness.op("CumSum", 14).input(x).constInput(Tensor.scalarLong(axis))
                            .attr("exclusive", exclusive).attr("reverse", reverse).assertMatchesOrt();
                }
            }
        }
        NormReduceHarness.op("CumSum", 11).input(TestTensors.integers(131, DType.INT32, -50, 50, 6, 7))
                .constInput(Tensor.ofInts(new int[] {1}, 1)).attr("reverse", 1L).assertMatchesOrt();
        NormReduceHarness.op("CumSum", 14).input(TestTensors.integers(132, DType.INT64, -50, 50, 6, 7))
                .input(Tensor.scalarLong(0)).attr("exclusive", 1L).assertMatchesOrt();
        NormReduceHarness.op("CumSum", 14).input(x.castTo(DType.DOUBLE)).constInput(Tensor.scalarLong(1))
                .assertMatchesOrt();
    }

    @Test
    void cumSumHandComputed() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 4);
        float[] ex = NormReduceHarness.op("CumSum", 14).input(x).constInput(Tensor.scalarLong(0))
                .attr("exclusive", 1L).attr("reverse", 1L).kiln().floats();
        assertArrayEquals(new float[] {9, 7, 4, 0}, ex);
    }
}
