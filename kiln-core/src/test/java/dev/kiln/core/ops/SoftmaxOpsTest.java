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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxOpsTest {
    private static final List<String> OPS = List.of("Softmax", "LogSoftmax", "Hardmax");

    @Test
    void allAxesAndOpsetsMatchOnnxRuntime() {
        Tensor x = TestTensors.normal(31, 2, 3, 4, 5);
        for (String op : OPS) {
            for (int opset : new int[] {11, 13}) {
                NormReduceHarness.op(op, opset).input(x).assertMatchesOrt();
                for (long axis : new long[] {0, 1, 2, 3, -1, -3}) {
                    NormReduceHarness.op(op, opset).input(x).attr("axis", axis).assertMatchesOrt();
                }
            }
        }
    }

    @Test
    void oldOpsetsCoerceToTwoDimensions() {
        // opset 11, axis 1: each row of 3*4 elements sums to 1, not each column of 3
        Tensor x = TestTensors.normal(32, 2, 3, 4);
        Tensor y = NormReduceHarness.op("Softmax", 11).input(x).kiln();
        double row = 0;
        for (int i = 0; i < 12; i++) row += y.getDouble(i);
        assertEquals(1.0, row, 1e-5);
        Tensor z = NormReduceHarness.op("Softmax", 13).input(x).attr("axis", 1L).kiln();
        assertEquals(1.0, z.getDouble(0) + z.getDouble(4) + z.getDouble(8), 1e-5);
    }

    @Test
    void largeTransformerAndCnnShapes() {
        // last-axis softmax of attention scores and channel softmax (inner stride > 1), both parallel
        Tensor scores = TestTensors.normal(33, 2, 4, 64, 64);
        NormReduceHarness.op("Softmax", 13).input(scores).assertMatchesOrt();
        NormReduceHarness.op("LogSoftmax", 13).input(scores).assertMatchesOrt();
        Tensor maps = TestTensors.normal(34, 1, 21, 40, 40);
        for (String op : OPS) {
            NormReduceHarness.op(op, 13).input(maps).attr("axis", 1L).assertMatchesOrt();
        }
    }

    @Test
    void largeValuesDoNotOverflow() {
        Tensor x = Tensor.of(new float[] {1000, 1001, 1002, -1000, 0, 1000}, 2, 3);
        for (String op : OPS) {
            NormReduceHarness.op(op, 13).input(x).assertMatchesOrt();
        }
        Tensor y = NormReduceHarness.op("Softmax", 13).input(x).kiln();
        assertEquals(0.66524096, y.getDouble(2), 1e-6);
    }

    @Test
    void doubleAndHalfTypes() {
        Tensor x = TestTensors.normal(35, 3, 7, 5);
        // ONNX Runtime has no double or float16 Hardmax; it is checked by hand below
        for (String op : List.of("Softmax", "LogSoftmax")) {
            NormReduceHarness.op(op, 13).input(x.castTo(DType.DOUBLE)).attr("axis", 1L).assertMatchesOrt();
            NormReduceHarness h = NormReduceHarness.op(op, 13).input(x.castTo(DType.FLOAT16));
            assertNull(new Tolerance(2e-3, 2e-3).mismatch(h.runOrt().get("out0"), h.kiln()), op);
        }
        Tensor d = Tensor.ofDoubles(new double[] {0.5, 0.25, 0.75, 0.1}, 2, 2);
        assertArrayEquals(new double[] {1, 0, 1, 0}, NormReduceHarness.op("Hardmax", 13).input(d).kiln().doubles());
    }

    @Test
    void hardmaxMarksTheFirstMaximum() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, 2}, 1, 4);
        assertArrayEquals(new float[] {0, 1, 0, 0}, NormReduceHarness.op("Hardmax", 13).input(x).kiln().floats());
        NormReduceHarness.op("Hardmax", 13).input(x).assertMatchesOrt();
        Tensor col = Tensor.of(new float[] {1, 5, 3, 5, 2, 0}, 3, 2);
        NormReduceHarness.op("Hardmax", 13).input(col).attr("axis", 0L).assertMatchesOrt();
    }

    @Test
    void badAxisIsReported() {
        KilnException e = assertThrows(KilnException.class,
                () -> NormReduceHarness.op("Softmax", 13).input(TestTensors.normal(1, 2, 3)).attr("axis", 2L).kiln());
        assertTrue(e.getMessage().contains("axis 2 is out of range"), e.getMessage());
        e = assertThrows(KilnException.class, () -> NormReduceHarness.op("Softmax", 13)
                .input(TestTensors.integers(1, DType.INT32, 0, 3, 2, 3)).kiln());
        assertTrue(e.getMessage().contains("floating-point"), e.getMessage());
    }
}
