package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.kiln.core.ops.OpHarness.as;
import static dev.kiln.core.ops.OpHarness.attrs;
import static dev.kiln.core.ops.OpHarness.node;
import static dev.kiln.core.ops.OpHarness.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Comparisons, boolean logic, Where, IsNaN/IsInf and BitShift. */
class LogicOpsTest {
    private static final DType[] TYPES = {DType.FLOAT, DType.FLOAT16, DType.DOUBLE, DType.INT8, DType.UINT8,
        DType.INT16, DType.INT32, DType.INT64};

    /** Small integers (so that equal pairs occur) in the given type. */
    private static Tensor values(DType t, long seed, int... shape) {
        return as(t, TestTensors.integers(seed, DType.INT32, t.isUnsigned() ? 0 : -3, 3, shape));
    }

    static Tensor bools(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.allocate(DType.BOOL, shape);
        for (int i = 0; i < t.size(); i++) {
            t.setLong(i, r.nextBoolean() ? 1 : 0);
        }
        return t;
    }

    @TestFactory
    Stream<DynamicTest> comparisonsMatchOnnxRuntime() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 1;
        for (String op : new String[] {"Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual"}) {
            for (DType t : TYPES) {
                for (int[][] s : ArithmeticOpsTest.SHAPES) {
                    Tensor a = values(t, seed++, s[0]);
                    Tensor b = values(t, seed++, s[1]);
                    String name = op + " " + t + " " + Arrays.toString(s[0]) + " " + Arrays.toString(s[1]);
                    tests.add(DynamicTest.dynamicTest(name, () -> node(op, 16, null, a, b).matchesOrt()));
                }
            }
            Tensor x = vec(Float.NaN, Float.NaN, 1f, Float.POSITIVE_INFINITY, -0f, Float.NEGATIVE_INFINITY);
            Tensor y = vec(Float.NaN, 1f, Float.NaN, Float.POSITIVE_INFINITY, 0f, 3f);
            tests.add(DynamicTest.dynamicTest(op + " NaN and infinities", () -> node(op, 16, null, x, y).matchesOrt()));
        }
        tests.add(DynamicTest.dynamicTest("Equal bool", () -> node("Equal", 13, null, bools(1, 3, 4), bools(2, 4)).matchesOrt()));
        tests.add(DynamicTest.dynamicTest("Greater opset 7", () -> node("Greater", 7, null, values(DType.FLOAT, 3, 3, 4), values(DType.FLOAT, 4, 4)).matchesOrt()));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> logicMatchesOnnxRuntime() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 50;
        for (String op : new String[] {"And", "Or", "Xor"}) {
            for (int[][] s : ArithmeticOpsTest.SHAPES) {
                Tensor a = bools(seed++, s[0]);
                Tensor b = bools(seed++, s[1]);
                tests.add(DynamicTest.dynamicTest(op + " " + Arrays.toString(s[0]) + " " + Arrays.toString(s[1]),
                        () -> node(op, 7, null, a, b).matchesOrt()));
            }
        }
        tests.add(DynamicTest.dynamicTest("Not", () -> node("Not", 1, null, bools(3, 2, 3, 4)).matchesOrt()));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> whereMatchesOnnxRuntime() {
        int[][][] shapes = {
            {{2, 3, 4}, {2, 3, 4}, {2, 3, 4}},
            {{2, 3, 4}, {4}, {}},
            {{3, 1}, {1, 4}, {2, 1, 1}},
            {{}, {2, 3}, {3}},
            {{1, 3, 1, 1}, {2, 3, 4, 5}, {5}},
            {{2, 0}, {2, 1}, {1}},
        };
        DType[] types = {DType.FLOAT, DType.FLOAT16, DType.DOUBLE, DType.UINT8, DType.INT32, DType.INT64, DType.BOOL};
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 70;
        for (int[][] s : shapes) {
            for (DType t : types) {
                Tensor c = bools(seed++, s[0]);
                Tensor x = t == DType.BOOL ? bools(seed++, s[1]) : values(t, seed++, s[1]);
                Tensor y = t == DType.BOOL ? bools(seed++, s[2]) : values(t, seed++, s[2]);
                String name = t + " " + Arrays.toString(s[0]) + " " + Arrays.toString(s[1]) + " " + Arrays.toString(s[2]);
                if (t == DType.BOOL) {
                    // no ORT kernel: selection must equal the (checked) uint8 selection
                    tests.add(DynamicTest.dynamicTest(name, () -> assertTrue(as(t, node("Where", 16, null, c,
                            as(DType.UINT8, x), as(DType.UINT8, y)).kiln()).sameAs(node("Where", 16, null, c, x, y).kiln()))));
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(name, () -> node("Where", 16, null, c, x, y).matchesOrt()));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> classificationMatchesOnnxRuntime() {
        Tensor x = vec(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -1f, 3e38f);
        List<DynamicTest> tests = new ArrayList<>();
        for (DType t : new DType[] {DType.FLOAT, DType.DOUBLE, DType.FLOAT16}) {
            tests.add(DynamicTest.dynamicTest("IsNaN " + t, () -> node("IsNaN", 13, null, as(t, x)).matchesOrt()));
            for (int pos = 0; pos <= 1; pos++) {
                for (int neg = 0; neg <= 1; neg++) {
                    var a = attrs("detect_positive", pos, "detect_negative", neg);
                    int opset = t == DType.FLOAT16 ? 20 : 10;
                    tests.add(DynamicTest.dynamicTest("IsInf " + t + " " + a, () -> node("IsInf", opset, a, as(t, x)).matchesOrt()));
                }
            }
        }
        return tests.stream();
    }

    @Test
    void bitShift() throws Exception {
        Tensor x = Tensor.fromDoubles(DType.UINT8, new double[] {16, 4, 1, 255}, 4);
        Tensor y = Tensor.fromDoubles(DType.UINT8, new double[] {1, 2, 3, 1}, 4);
        node("BitShift", 11, attrs("direction", "LEFT"), x, y).matchesOrt();
        node("BitShift", 11, attrs("direction", "RIGHT"), x, y).matchesOrt();
        Tensor l = node("BitShift", 11, attrs("direction", "LEFT"), x, y).kiln();
        assertEquals(254, l.getLong(3)); // 255 << 1 wraps in uint8
        Tensor u64 = Tensor.allocate(DType.UINT64, 2);
        u64.setLong(0, Long.MIN_VALUE); // 2^63
        u64.setLong(1, 3);
        Tensor s = Tensor.allocate(DType.UINT64, 1);
        s.setLong(0, 1);
        assertArrayEquals(new long[] {1L << 62, 1}, node("BitShift", 11, attrs("direction", "RIGHT"), u64, s).kiln().longs());
        assertArrayEquals(new long[] {0, 6}, node("BitShift", 11, attrs("direction", "LEFT"), u64, s).kiln().longs());
        Tensor u32 = Tensor.allocate(DType.UINT32, 1);
        u32.setLong(0, 0xffffffffL);
        Tensor s32 = Tensor.allocate(DType.UINT32, 1);
        s32.setLong(0, 4);
        assertEquals(0xfffffff0L, node("BitShift", 11, attrs("direction", "LEFT"), u32, s32).kiln().getLong(0));
        KilnException e = assertThrows(KilnException.class, () -> node("BitShift", 11, null, x, y).kiln());
        assertTrue(e.getMessage().contains("direction must be \"LEFT\" or \"RIGHT\", found none"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("BitShift", 11, attrs("direction", "LEFT"), vec(1), vec(1)).kiln());
        assertTrue(e.getMessage().contains("BitShift does not accept float32"), e.getMessage());
    }

    @Test
    void unsignedComparisons() {
        Tensor a = Tensor.allocate(DType.UINT64, 2);
        a.setLong(0, -1); // 2^64 - 1
        a.setLong(1, 5);
        Tensor b = Tensor.allocate(DType.UINT64, 1);
        b.setLong(0, 7);
        assertArrayEquals(new byte[] {1, 0}, node("Greater", 13, null, a, b).kiln().bytes());
        assertArrayEquals(new byte[] {0, 1}, node("LessOrEqual", 13, null, a, b).kiln().bytes());
    }

    @Test
    void reportsBadInputs() {
        Tensor f = vec(1, 2);
        KilnException e = assertThrows(KilnException.class, () -> node("And", 7, null, f, f).kiln());
        assertTrue(e.getMessage().contains("And does not accept float32"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Where", 16, null, f, f, f).kiln());
        assertTrue(e.getMessage().contains("condition must be a bool tensor, found float32"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Where", 16, null, bools(1, 2), f, as(DType.DOUBLE, f)).kiln());
        assertTrue(e.getMessage().contains("X and Y must have the same element type"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("IsNaN", 13, null, Tensor.ofLongs(new long[] {1}, 1)).kiln());
        assertTrue(e.getMessage().contains("IsNaN does not accept int64"), e.getMessage());
    }
}
