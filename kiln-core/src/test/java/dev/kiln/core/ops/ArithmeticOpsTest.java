package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.kiln.core.ops.OpHarness.as;
import static dev.kiln.core.ops.OpHarness.attrs;
import static dev.kiln.core.ops.OpHarness.node;
import static dev.kiln.core.ops.OpHarness.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Add, Sub, Mul, Div, Pow, Mod, PRelu and the variadic Max, Min, Sum, Mean. */
class ArithmeticOpsTest {
    /** Broadcasting pairs: trailing vector, middle broadcast, scalar, per-channel, reversed, both sides. */
    static final int[][][] SHAPES = {
        {{2, 3, 4, 5}, {2, 3, 4, 5}},
        {{2, 3, 4, 5}, {5}},
        {{2, 3, 4, 5}, {3, 1, 5}},
        {{2, 3, 4, 5}, {}},
        {{2, 3, 4, 5}, {1, 3, 1, 1}},
        {{5}, {2, 3, 4, 5}},
        {{}, {2, 3, 4, 5}},
        {{3, 1, 5}, {2, 1, 4, 1}},
        {{2, 0, 3}, {3}},
    };

    static final DType[] TYPES = {DType.FLOAT, DType.FLOAT16, DType.DOUBLE, DType.INT8, DType.UINT8, DType.INT32, DType.INT64};

    /** Inputs in a range suited to the op and type (no zero divisors, no integer overflow in Pow). */
    static Tensor operand(String op, DType t, int which, long seed, int[] shape) {
        boolean divisor = which == 1 && (op.equals("Div") || op.equals("Mod"));
        if (t.isFloatingPoint()) {
            Tensor x;
            if (op.equals("Pow")) {
                x = which == 0 ? TestTensors.uniform(seed, 0.1f, 3, shape) : TestTensors.uniform(seed, -2, 2, shape);
            } else if (divisor) {
                x = TestTensors.uniform(seed, 0.5f, 4, shape);
                float[] f = x.floats();
                for (int i = 0; i < f.length; i += 2) f[i] = -f[i];
            } else {
                x = TestTensors.uniform(seed, -5, 5, shape);
            }
            return as(t, x);
        }
        long lo = t.isUnsigned() ? 0 : -20;
        long hi = 20;
        if (op.equals("Pow")) {
            lo = which == 0 ? (t.isUnsigned() ? 0 : -3) : 0;
            hi = which == 0 ? 3 : 4;
        }
        if (op.equals("Mul")) {
            lo = t.isUnsigned() ? 0 : -10;
            hi = 10;
        }
        Tensor x = TestTensors.integers(seed, t, lo, hi, shape);
        if (divisor) {
            for (int i = 0; i < x.size(); i++) {
                if (x.getLong(i) == 0) x.setLong(i, 3);
            }
        }
        return x;
    }

    @TestFactory
    Stream<DynamicTest> binaryMatchesOnnxRuntime() {
        List<DynamicTest> tests = new ArrayList<>();
        String[] ops = {"Add", "Sub", "Mul", "Div", "Max", "Min", "Sum", "Mean", "Pow", "Mod"};
        long seed = 100;
        for (String op : ops) {
            for (DType t : TYPES) {
                if ((op.equals("Sum") || op.equals("Mean")) && !t.isFloatingPoint()
                        || op.equals("Pow") && (t == DType.INT8 || t == DType.UINT8)) {
                    continue;
                }
                int opset = op.equals("Add") || op.equals("Sub") || op.equals("Mul") || op.equals("Div") ? 14 : 13;
                for (int[][] s : SHAPES) {
                    long sd = seed++;
                    Attributes a = op.equals("Mod") && t.isFloatingPoint() ? attrs("fmod", 1) : attrs();
                    String name = op + " " + t + " " + Arrays.toString(s[0]) + " " + Arrays.toString(s[1]);
                    Tensor x = operand(op, t, 0, sd, s[0]);
                    Tensor y = operand(op, t, 1, sd + 7, s[1]);
                    if (op.equals("Mean") && t == DType.DOUBLE) {
                        // no ORT kernel: the float32 result (checked above) in double
                        tests.add(DynamicTest.dynamicTest(name, () -> assertNull(OpHarness.VS_ORT.mismatch(
                                as(t, node(op, opset, a, as(DType.FLOAT, x), as(DType.FLOAT, y)).kiln()),
                                node(op, opset, a, x, y).kiln()))));
                        continue;
                    }
                    tests.add(DynamicTest.dynamicTest(name, () -> node(op, opset, a, x, y).matchesOrt()));
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> variadicMatchesOnnxRuntime() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String op : new String[] {"Max", "Min", "Sum", "Mean"}) {
            Tensor a = TestTensors.normal(1, 2, 3, 4, 5);
            Tensor b = TestTensors.normal(2, 5);
            Tensor c = TestTensors.normal(3, 3, 1, 1);
            tests.add(DynamicTest.dynamicTest(op + " three inputs", () -> node(op, 13, null, a, b, c).matchesOrt()));
            tests.add(DynamicTest.dynamicTest(op + " one input", () -> node(op, 13, null, a).matchesOrt()));
            tests.add(DynamicTest.dynamicTest(op + " opset 6", () -> node(op, 7, null, a, a, a).matchesOrt()));
            tests.add(DynamicTest.dynamicTest(op + " float16", () -> node(op, 13, null,
                    as(DType.FLOAT16, a), as(DType.FLOAT16, b), as(DType.FLOAT16, c)).matchesOrt()));
        }
        for (String op : new String[] {"Max", "Min"}) {
            Tensor x = vec(Float.NaN, 1f, Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY);
            Tensor y = vec(1f, Float.NaN, Float.NaN, 0f, -0f, Float.NEGATIVE_INFINITY);
            tests.add(DynamicTest.dynamicTest(op + " NaN", () -> node(op, 13, null, x, y).matchesOrt()));
            for (DType t : new DType[] {DType.INT8, DType.UINT8, DType.INT32, DType.INT64}) {
                Tensor p = TestTensors.integers(4, t, t.isUnsigned() ? 0 : -50, 50, 3, 4);
                Tensor q = TestTensors.integers(5, t, t.isUnsigned() ? 0 : -50, 50, 4);
                Tensor r = TestTensors.integers(6, t, t.isUnsigned() ? 0 : -50, 50, 3, 1);
                tests.add(DynamicTest.dynamicTest(op + " " + t, () -> node(op, 13, null, p, q, r).matchesOrt()));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> preluMatchesOnnxRuntime() {
        List<DynamicTest> tests = new ArrayList<>();
        Tensor x = TestTensors.normal(8, 2, 3, 4, 5);
        int[][] slopes = {{3, 1, 1}, {5}, {}, {1, 3, 1, 1}, {2, 3, 4, 5}, {1}};
        for (int[] s : slopes) {
            Tensor slope = TestTensors.uniform(9, 0, 0.5f, s);
            String name = Arrays.toString(s);
            tests.add(DynamicTest.dynamicTest("float " + name, () -> node("PRelu", 16, null, x, slope).matchesOrt()));
            tests.add(DynamicTest.dynamicTest("float constant " + name, () -> node("PRelu", 16, null, x, slope).constant(1).matchesOrt()));
            tests.add(DynamicTest.dynamicTest("float16 " + name, () -> node("PRelu", 16, null,
                    as(DType.FLOAT16, x), as(DType.FLOAT16, slope)).matchesOrt()));
            tests.add(DynamicTest.dynamicTest("double " + name, () -> node("PRelu", 16, null,
                    as(DType.DOUBLE, x), as(DType.DOUBLE, slope)).matchesOrt()));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> powWithMixedTypesMatchesOnnxRuntime() {
        List<DynamicTest> tests = new ArrayList<>();
        DType[] bases = {DType.FLOAT, DType.DOUBLE, DType.INT32, DType.INT64};
        DType[] exps = {DType.FLOAT, DType.DOUBLE, DType.INT32, DType.INT64};
        for (DType b : bases) {
            for (DType e : exps) {
                // integer bases stay positive: C leaves the conversion of NaN and infinity to integers undefined
                Tensor x = b.isInteger() ? TestTensors.integers(10, b, 1, 3, 3, 4) : operand("Pow", b, 0, 10, new int[] {3, 4});
                Tensor y = operand("Pow", e, 1, 11, new int[] {4});
                tests.add(DynamicTest.dynamicTest(b + " ^ " + e, () -> node("Pow", 15, null, x, y).matchesOrt()));
            }
            // exponent types ONNX Runtime has no kernel for: the same values as int32
            for (DType e : new DType[] {DType.INT8, DType.UINT8, DType.INT16}) {
                Tensor x = operand("Pow", b, 0, 12, new int[] {3, 4});
                Tensor y = operand("Pow", e, 1, 13, new int[] {4});
                tests.add(DynamicTest.dynamicTest(b + " ^ " + e, () -> assertNull(OpHarness.VS_ORT.mismatch(
                        node("Pow", 15, null, x, as(DType.INT32, y)).kiln(), node("Pow", 15, null, x, y).kiln()))));
            }
        }
        Tensor neg = vec(-2f, -0.5f, 0f, 4f, Float.NaN);
        tests.add(DynamicTest.dynamicTest("negative base, fractional exponent",
                () -> node("Pow", 13, null, neg, Tensor.scalar(0.5f)).matchesOrt()));
        tests.add(DynamicTest.dynamicTest("square", () -> node("Pow", 13, null, neg, Tensor.scalar(2f)).matchesOrt()));
        tests.add(DynamicTest.dynamicTest("cube", () -> node("Pow", 13, null, neg, Tensor.scalar(3f)).matchesOrt()));
        return tests.stream();
    }

    @Test
    void integerDivisionAndModulus() {
        Tensor a = Tensor.ofLongs(new long[] {-7, 7, -7, 7, 6}, 5);
        Tensor b = Tensor.ofLongs(new long[] {2, -2, 3, -3, 3}, 5);
        assertArrayEquals(new long[] {-3, -3, -2, -2, 2}, node("Div", 14, null, a, b).kiln().longs());
        // fmod=0: the sign of the divisor; fmod=1: the sign of the dividend (C fmod)
        assertArrayEquals(new long[] {1, -1, 2, -2, 0}, node("Mod", 13, null, a, b).kiln().longs());
        assertArrayEquals(new long[] {-1, 1, -1, 1, 0}, node("Mod", 13, attrs("fmod", 1), a, b).kiln().longs());
        assertArrayEquals(new float[] {-1f, 1f, -1.5f}, node("Mod", 13, attrs("fmod", 1),
                vec(-7f, 7f, -7.5f), vec(2f, -2f, 3f)).kiln().floats());
        Tensor u = Tensor.allocate(DType.UINT64, 2);
        u.setLong(0, -1); // 2^64 - 1
        u.setLong(1, 10);
        Tensor d = Tensor.allocate(DType.UINT64, 2);
        d.setLong(0, 2);
        d.setLong(1, 3);
        assertArrayEquals(new long[] {Long.MAX_VALUE, 3}, node("Div", 14, null, u, d).kiln().longs());
        assertArrayEquals(new long[] {1, 1}, node("Mod", 13, null, u, d).kiln().longs());
        assertArrayEquals(new long[] {-1, 10}, node("Max", 13, null, u, d).kiln().longs());
        KilnException e = assertThrows(KilnException.class, () -> node("Div", 14, null, a, Tensor.ofLongs(new long[] {0}, 1)).kiln());
        assertTrue(e.getMessage().contains("integer division by zero"), e.getMessage());
    }

    @Test
    void narrowIntegersWrap() {
        Tensor a = Tensor.fromDoubles(DType.UINT8, new double[] {200, 10}, 2);
        Tensor b = Tensor.fromDoubles(DType.UINT8, new double[] {100, 20}, 2);
        Tensor sum = node("Add", 14, null, a, b).kiln();
        Tensor diff = node("Sub", 14, null, a, b).kiln();
        assertArrayEquals(new long[] {44, 30}, new long[] {sum.getLong(0), sum.getLong(1)});
        assertArrayEquals(new long[] {100, 246}, new long[] {diff.getLong(0), diff.getLong(1)});
    }

    /** Opset 1-6 broadcasting aligns B at {@code axis} (the old pytorch exports). */
    @Test
    void legacyBroadcastAxis() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor rows = vec(10, 20);
        Tensor cols = vec(10, 20, 30);
        assertArrayEquals(new float[] {11, 12, 13, 24, 25, 26},
                node("Add", 6, attrs("broadcast", 1, "axis", 0), a, rows).kiln().floats());
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36},
                node("Add", 6, attrs("broadcast", 1, "axis", 1), a, cols).kiln().floats());
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36},
                node("Add", 6, attrs("broadcast", 1), a, cols).kiln().floats());
        assertArrayEquals(new float[] {10, 20, 60, 80, 50, 60}, node("Mul", 6, attrs("broadcast", 1, "axis", 0),
                Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2), vec(10, 20, 10)).kiln().floats());
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36},
                node("Add", 6, attrs("broadcast", 1, "axis", -1), a, cols).kiln().floats());
        // PRelu-6: a 1-D slope is per channel (axis 1)
        Tensor x = Tensor.of(new float[] {-1, -1, -1, -1, 2, 2}, 1, 3, 2);
        assertArrayEquals(new float[] {-0.1f, -0.1f, -0.2f, -0.2f, 2, 2},
                node("PRelu", 6, null, x, vec(0.1f, 0.2f, 0.3f)).kiln().floats());
    }

    /** CNN-sized tensors take the parallel path; chunks cut broadcast runs anywhere. */
    @Test
    void parallelBroadcastMatchesSerialAndReference() {
        Tensor x = TestTensors.normal(20, 1, 64, 112, 112);
        Tensor[] others = {TestTensors.normal(21, 1, 64, 112, 112), TestTensors.normal(22, 1, 64, 1, 1),
            Tensor.scalar(0.75f), TestTensors.normal(23, 112), TestTensors.normal(24, 64, 1, 112)};
        for (String op : new String[] {"Add", "Sub", "Mul", "Div", "PRelu", "Max"}) {
            for (Tensor y : others) {
                OpHarness.Case c = node(op, 14, null, x, y);
                Tensor serial = c.kiln(1)[0];
                Tensor parallel = c.kiln(3)[0];
                String what = op + " with " + Arrays.toString(y.shape());
                assertArrayEquals(serial.floats(), parallel.floats(), what);
                assertNull(OpHarness.VS_ORT.mismatch(reference(op, x, y), parallel), what);
            }
        }
    }

    /** Straightforward broadcasting through explicit index maps, independent of the kernels. */
    private static Tensor reference(String op, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast(a.shape(), b.shape());
        int[] ia = Shapes.broadcastIndex(a.shape(), shape);
        int[] ib = Shapes.broadcastIndex(b.shape(), shape);
        Tensor out = Tensor.allocate(DType.FLOAT, shape);
        float[] o = out.floats();
        for (int i = 0; i < o.length; i++) {
            float x = a.floats()[ia[i]];
            float y = b.floats()[ib[i]];
            switch (op) {
                case "Add": o[i] = x + y; break;
                case "Sub": o[i] = x - y; break;
                case "Mul": o[i] = x * y; break;
                case "Div": o[i] = x / y; break;
                case "PRelu": o[i] = x > 0 ? x : x * y; break;
                default: o[i] = Math.max(x, y);
            }
        }
        return out;
    }

    @Test
    void reportsBadInputs() {
        Tensor f = vec(1, 2);
        Tensor l = Tensor.ofLongs(new long[] {1, 2}, 2);
        KilnException e = assertThrows(KilnException.class, () -> node("Add", 14, null, f, l).kiln());
        assertTrue(e.getMessage().contains("different element types: float32 and int64"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Mod", 13, null, f, f).kiln());
        assertTrue(e.getMessage().contains("fmod must be 1 for floating-point inputs"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Mul", 14, null, vec(1, 2, 3), f).kiln());
        assertTrue(e.getMessage().contains("cannot be broadcast"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Mean", 13, null, l, l).kiln());
        assertTrue(e.getMessage().contains("Mean does not accept int64"), e.getMessage());
    }
}
