package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReduceOpsTest {
    private static final List<String> REDUCE_OPS = List.of("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin",
            "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare");
    private static final long[][] AXES = {null, {1}, {0, 2}, {-1}, {0, 1, 2}, {2, 0}, {1, 2}};

    private static int axesInputOpset(String op) {
        return op.equals("ReduceSum") ? 13 : 18;
    }

    /** A reduce node with axes as attribute or input depending on the opset. */
    private static NormReduceHarness reduce(String op, int opset, Tensor x, long[] axes, long keepdims) {
        NormReduceHarness h = NormReduceHarness.op(op, opset).input(x).attr("keepdims", keepdims);
        if (opset >= axesInputOpset(op)) {
            if (axes != null) {
                h.constInput(Tensor.vector(axes));
            }
        } else if (axes != null) {
            h.attr("axes", axes);
        }
        return h;
    }

    @Test
    void everyReduceOpMatchesOnnxRuntimeAcrossAxesKeepdimsAndOpsets() {
        // positive values keep ReduceLogSum and ReduceProd well defined
        Tensor x = TestTensors.uniform(7, 0.5f, 1.5f, 3, 4, 5);
        for (String op : REDUCE_OPS) {
            for (int opset : new int[] {11, 13, 18}) {
                for (long[] axes : AXES) {
                    for (long keep : new long[] {0, 1}) {
                        reduce(op, opset, x, axes, keep).assertMatchesOrt();
                    }
                }
            }
        }
    }

    @Test
    void signedValuesMatchForSignInsensitiveOps() {
        Tensor x = TestTensors.normal(3, 2, 3, 4, 6);
        for (String op : List.of("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceL1", "ReduceL2",
                "ReduceLogSumExp", "ReduceSumSquare")) {
            reduce(op, 13, x, new long[] {0, 2}, 1).assertMatchesOrt();
            reduce(op, 13, x, new long[] {1, 3}, 0).assertMatchesOrt();
            reduce(op, 13, x, new long[] {2, 3}, 1).assertMatchesOrt();
        }
    }

    @Test
    void axesInputCanBeARuntimeTensor() {
        Tensor x = TestTensors.normal(4, 3, 4, 5);
        NormReduceHarness.op("ReduceSum", 13).input(x).input(Tensor.vector(-2)).attr("keepdims", 0L).assertMatchesOrt();
        NormReduceHarness.op("ReduceMean", 18).input(x).input(Tensor.vector(0, 2)).assertMatchesOrt();
    }

    @Test
    void emptyAxesReduceAllOrNothingWithNoop() {
        Tensor x = TestTensors.normal(5, 3, 4);
        Tensor empty = Tensor.allocate(DType.INT64, 0);
        for (String op : List.of("ReduceSum", "ReduceMax", "ReduceL2", "ReduceL1", "ReduceSumSquare")) {
            int opset = axesInputOpset(op);
            NormReduceHarness.op(op, opset).input(x).constInput(empty).assertMatchesOrt();
            NormReduceHarness.op(op, opset).input(x).constInput(empty).attr("noop_with_empty_axes", 1L).assertMatchesOrt();
            NormReduceHarness.op(op, opset).input(x).none().attr("noop_with_empty_axes", 1L).assertMatchesOrt();
        }
        Tensor same = NormReduceHarness.op("ReduceMax", 18).input(x).none().attr("noop_with_empty_axes", 1L).kiln();
        assertTrue(same.sameAs(x));
        Tensor positive = TestTensors.uniform(6, 0.5f, 2f, 3, 4);
        NormReduceHarness.op("ReduceLogSum", 18).input(positive).constInput(empty).attr("noop_with_empty_axes", 1L)
                .assertMatchesOrt();
    }

    @Test
    void integerTypesMatchOnnxRuntime() {
        for (DType t : new DType[] {DType.INT32, DType.INT64}) {
            Tensor x = TestTensors.integers(11, t, -9, 9, 3, 4, 5);
            for (String op : List.of("ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceMean",
                    "ReduceSumSquare", "ReduceL1")) {
                reduce(op, 13, x, new long[] {1}, 1).assertMatchesOrt();
                reduce(op, 13, x, new long[] {0, 2}, 0).assertMatchesOrt();
            }
        }
        Tensor u8 = TestTensors.integers(12, DType.UINT8, 0, 255, 4, 6);
        reduce("ReduceMax", 13, u8, new long[] {1}, 0).assertMatchesOrt();
        reduce("ReduceMin", 13, u8, new long[] {0}, 1).assertMatchesOrt();
    }

    @Test
    void doubleAndHalfTypesMatchOnnxRuntime() {
        Tensor x = TestTensors.uniform(13, 0.5f, 2f, 4, 5, 6);
        Tensor d = x.castTo(DType.DOUBLE);
        Tensor h = x.castTo(DType.FLOAT16);
        for (String op : List.of("ReduceSum", "ReduceMean", "ReduceMax", "ReduceL2", "ReduceLogSumExp")) {
            reduce(op, 13, d, new long[] {0, 2}, 1).assertMatchesOrt();
        }
        for (String op : List.of("ReduceMean", "ReduceMax", "ReduceMin", "ReduceSum")) {
            Tensor k = reduce(op, 13, h, new long[] {2}, 0).kiln();
            Tensor o = reduce(op, 13, h, new long[] {2}, 0).runOrt().get("out0");
            assertEquals(null, new Tolerance(2e-3, 1e-3).mismatch(o, k), op);
        }
    }

    @Test
    void emptyReductionsGiveIdentityElements() {
        Tensor x = Tensor.allocate(DType.FLOAT, 2, 0, 3);
        for (String op : List.of("ReduceSum", "ReduceProd", "ReduceMax", "ReduceMin", "ReduceL1", "ReduceL2",
                "ReduceSumSquare", "ReduceLogSumExp", "ReduceLogSum")) {
            reduce(op, 18, x, new long[] {1}, 1).assertMatchesOrt();
        }
        Tensor max = reduce("ReduceMax", 18, x, new long[] {1}, 0).kiln();
        assertArrayEquals(new int[] {2, 3}, max.shape());
        assertEquals(Double.NEGATIVE_INFINITY, max.getDouble(0));
        assertEquals(1.0, reduce("ReduceProd", 18, x, new long[] {1}, 0).kiln().getDouble(4));
        assertTrue(Double.isNaN(reduce("ReduceMean", 18, x, new long[] {1}, 0).kiln().getDouble(0)));
    }

    @Test
    void largeSumStaysAccurate() {
        Tensor x = TestTensors.uniform(17, 0f, 1f, 4, 100_000);
        reduce("ReduceSum", 13, x, new long[] {1}, 0).assertMatchesOrt();
        reduce("ReduceMean", 13, x, null, 0).assertMatchesOrt();
        // exact check against a double reference
        double ref = 0;
        for (int i = 0; i < 100_000; i++) ref += x.getDouble(i);
        Tensor s = reduce("ReduceSum", 13, x, new long[] {1}, 0).kiln();
        assertEquals(ref, s.getDouble(0), Math.ulp((float) ref));
    }

    @Test
    void spatialMeanOfACnnFeatureMap() {
        Tensor x = TestTensors.normal(19, 2, 64, 14, 14);
        reduce("ReduceMean", 13, x, new long[] {2, 3}, 1).assertMatchesOrt();
        reduce("ReduceMean", 18, x, new long[] {-1, -2}, 0).assertMatchesOrt();
        reduce("ReduceMax", 13, x, new long[] {1}, 1).assertMatchesOrt();
    }

    @Test
    void handComputedValues() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {5, 7, 9}, reduce("ReduceSum", 13, x, new long[] {0}, 0).kiln().floats());
        assertArrayEquals(new float[] {2, 5}, reduce("ReduceMean", 13, x, new long[] {1}, 1).kiln().floats());
        assertArrayEquals(new float[] {6, 120}, reduce("ReduceProd", 13, x, new long[] {1}, 0).kiln().floats());
        assertArrayEquals(new float[] {21}, reduce("ReduceSum", 13, x, null, 0).kiln().floats());
        assertEquals(0, reduce("ReduceSum", 13, x, null, 0).kiln().rank());
    }

    @Test
    void nanHandlingFollowsOnnxRuntime() {
        // ONNX Runtime keeps a NaN only when it is the first element compared (float32; its double
        // kernel treats NaN differently along contiguous axes, so double is not compared here)
        float n = Float.NaN;
        Tensor x = Tensor.of(new float[] {1, n, 3, n, 5, 2, 4, 0, n}, 3, 3);
        for (String op : List.of("ReduceMax", "ReduceMin")) {
            for (long axis = 0; axis < 2; axis++) {
                reduce(op, 13, x, new long[] {axis}, 1).assertMatchesOrt();
            }
        }
        for (String op : List.of("ArgMax", "ArgMin")) {
            for (long axis = 0; axis < 2; axis++) {
                NormReduceHarness.op(op, 13).input(x).attr("axis", axis).assertMatchesOrt();
            }
        }
        Tensor max = reduce("ReduceMax", 13, x, new long[] {1}, 0).kiln();
        assertArrayEquals(new float[] {3, n, 4}, max.floats());
    }

    @Test
    void badAxesAreReported() {
        Tensor x = TestTensors.normal(1, 2, 3);
        KilnException e = assertThrows(KilnException.class, () -> reduce("ReduceSum", 11, x, new long[] {2}, 1).kiln());
        assertTrue(e.getMessage().contains("axis 2 is out of range"), e.getMessage());
        e = assertThrows(KilnException.class, () -> reduce("ReduceMax", 11, x, new long[] {1, -1}, 1).kiln());
        assertTrue(e.getMessage().contains("more than once"), e.getMessage());
        e = assertThrows(KilnException.class,
                () -> NormReduceHarness.op("ReduceMean", 18).input(x).attr("axes", new long[] {0}).kiln());
        assertTrue(e.getMessage().contains("input from opset 18"), e.getMessage());
    }

    @Test
    void argMaxAndArgMinMatchOnnxRuntime() {
        // small integers make ties likely, which exercises select_last_index
        Tensor x = TestTensors.integers(23, DType.INT32, 0, 3, 3, 4, 5).castTo(DType.FLOAT);
        for (String op : List.of("ArgMax", "ArgMin")) {
            for (int opset : new int[] {11, 12, 13}) {
                for (long axis : new long[] {0, 1, 2, -1}) {
                    for (long keep : new long[] {0, 1}) {
                        NormReduceHarness h = NormReduceHarness.op(op, opset).input(x).attr("axis", axis)
                                .attr("keepdims", keep);
                        h.assertMatchesOrt();
                        if (opset >= 12) {
                            h.attr("select_last_index", 1L).assertMatchesOrt();
                        }
                    }
                }
            }
            NormReduceHarness.op(op, 13).input(TestTensors.integers(2, DType.INT64, -5, 5, 6, 7)).attr("axis", 1L)
                    .assertMatchesOrt();
            NormReduceHarness.op(op, 13).input(TestTensors.normal(3, 8, 9).castTo(DType.DOUBLE)).assertMatchesOrt();
        }
        Tensor ties = Tensor.of(new float[] {2, 5, 5, 1}, 4);
        assertEquals(1, NormReduceHarness.op("ArgMax", 13).input(ties).kiln().getLong(0));
        assertEquals(2, NormReduceHarness.op("ArgMax", 13).input(ties).attr("select_last_index", 1L).kiln().getLong(0));
    }
}
