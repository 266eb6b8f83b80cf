package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.runtime.ops.elementwise.CastKernel;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.kiln.core.ops.OpHarness.attrs;
import static dev.kiln.core.ops.OpHarness.node;
import static dev.kiln.core.ops.OpHarness.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cast and CastLike between every pair of the numeric and bool types ONNX Runtime's Java API can feed. */
class CastOpsTest {
    private static final DType[] TYPES = {DType.FLOAT, DType.FLOAT16, DType.BFLOAT16, DType.DOUBLE, DType.INT8,
        DType.UINT8, DType.INT16, DType.INT32, DType.INT64, DType.BOOL};

    /** Source values of type t: fractions, negatives, values beyond the narrow types, zeros. */
    private static Tensor source(DType t) {
        double[] v;
        if (t.isFloatingPoint()) {
            v = new double[] {-3.7, -1.5, -0.5, -0.0, 0, 0.4, 1, 2.5, 100.9, 127.5, 200.25, -129.75, 40000.5, 1e-3,
                0.3333333333, 60000};
        } else if (t == DType.BOOL) {
            v = new double[] {0, 1, 1, 0};
        } else if (t.isUnsigned()) {
            v = new double[] {0, 1, 7, 100, 127, 128, 200, 255};
        } else {
            v = new double[] {-128, -100, -1, 0, 1, 7, 100, 127};
            if (t != DType.INT8) {
                v = new double[] {-30000, -300, -128, -1, 0, 1, 255, 256, 1000, 2049, 30000};
            }
            if (t == DType.INT32 || t == DType.INT64) {
                v = new double[] {-2000000000, -16777217, -70000, -300, -1, 0, 1, 255, 256, 2049, 65519, 65520, 16777217,
                    2000000000};
            }
        }
        return Tensor.fromDoubles(t, v, v.length);
    }

    @TestFactory
    Stream<DynamicTest> everyPairMatchesOnnxRuntime() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType from : TYPES) {
            for (DType to : TYPES) {
                Tensor x = source(from);
                tests.add(DynamicTest.dynamicTest(from + " to " + to,
                        () -> node("Cast", 13, attrs("to", to.onnxCode()), x).matchesOrt()));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> castLikeMatchesOnnxRuntime() {
        List<DynamicTest> tests = new ArrayList<>();
        DType[][] pairs = {{DType.FLOAT, DType.FLOAT16}, {DType.FLOAT, DType.INT64}, {DType.INT32, DType.DOUBLE},
            {DType.DOUBLE, DType.BOOL}, {DType.FLOAT16, DType.FLOAT}, {DType.FLOAT, DType.BFLOAT16}};
        for (DType[] p : pairs) {
            Tensor like = Tensor.allocate(p[1], 1);
            tests.add(DynamicTest.dynamicTest(p[0] + " like " + p[1], () -> node("CastLike", 15, null, source(p[0]), like).matchesOrt()));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> opsetsMatchOnnxRuntime() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int opset : new int[] {6, 9, 13, 19, 21}) {
            tests.add(DynamicTest.dynamicTest("opset " + opset, () -> node("Cast", opset,
                    attrs("to", DType.INT32.onnxCode()), source(DType.FLOAT)).matchesOrt()));
        }
        return tests.stream();
    }

    @Test
    void handComputed() {
        Tensor x = vec(-2.7f, -0.5f, 0.5f, 2.7f, Float.NaN, 0f, -0f);
        Tensor i = node("Cast", 13, attrs("to", DType.INT32.onnxCode()), x).kiln();
        assertArrayEquals(new int[] {-2, 0, 0, 2}, java.util.Arrays.copyOf(i.ints(), 4));
        Tensor b = node("Cast", 13, attrs("to", DType.BOOL.onnxCode()), x).kiln();
        assertArrayEquals(new byte[] {1, 1, 1, 1, 1, 0, 0}, b.bytes());
        Tensor h = node("Cast", 13, attrs("to", DType.FLOAT16.onnxCode()), vec(1f / 3, 65519f, 65520f)).kiln();
        assertArrayEquals(new float[] {0.33325195f, 65504f, Float.POSITIVE_INFINITY}, h.floats());
        // saturate only concerns float8 targets (ONNX Runtime even rejects it elsewhere); Kiln ignores it
        Tensor sat = node("Cast", 19, attrs("to", DType.FLOAT16.onnxCode(), "saturate", 0), vec(1e6f)).kiln();
        assertEquals(Float.POSITIVE_INFINITY, sat.floats()[0]);
        Tensor same = vec(1, 2);
        assertSame(same, CastKernel.convert(same, DType.FLOAT));
    }

    @Test
    void unsupportedTypesAreNamed() {
        Tensor x = vec(1, 2);
        KilnException e = assertThrows(KilnException.class, () -> node("Cast", 13, attrs("to", 8), x).kiln());
        assertTrue(e.getMessage().contains("target type string is not supported"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Cast", 19, attrs("to", 17), x).kiln());
        assertTrue(e.getMessage().contains("target type float8e4m3fn is not supported"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Cast", 13, attrs(), x).kiln());
        assertTrue(e.getMessage().contains("attribute 'to' is required"), e.getMessage());
        assertEquals(DType.INT64, node("Cast", 13, attrs("to", 7), x).kiln().dtype());
    }
}
