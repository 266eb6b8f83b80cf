package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.ops.elementwise.ElementwiseMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.kiln.core.ops.OpHarness.as;
import static dev.kiln.core.ops.OpHarness.attrs;
import static dev.kiln.core.ops.OpHarness.node;
import static dev.kiln.core.ops.OpHarness.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unary activations and math functions, and Clip and Dropout. */
class ActivationOpsTest {
    private static final int[] SHAPE = {2, 3, 4, 5};

    /** One unary op configuration compared with ONNX Runtime: inputs uniform in [lo, hi). */
    private static final class Unary {
        final String op;
        final int opset;
        final Attributes attrs;
        final float lo;
        final float hi;
        /** Types ONNX Runtime has no CPU kernel for: checked against Kiln's own float32 result instead. */
        final List<DType> notInOrt;

        Unary(String op, int opset, Attributes attrs, float lo, float hi, DType... notInOrt) {
            this.op = op;
            this.opset = opset;
            this.attrs = attrs;
            this.lo = lo;
            this.hi = hi;
            this.notInOrt = List.of(notInOrt);
        }

        @Override
        public String toString() {
            return op + "-" + opset + (attrs.size() > 0 ? " " + attrs : "");
        }
    }

    private static List<Unary> unaryCases() {
        List<Unary> c = new ArrayList<>();
        c.add(new Unary("Relu", 13, attrs(), -4, 4));
        c.add(new Unary("LeakyRelu", 13, attrs(), -4, 4, DType.DOUBLE));
        c.add(new Unary("LeakyRelu", 13, attrs("alpha", 0.3f), -4, 4, DType.DOUBLE));
        c.add(new Unary("Elu", 13, attrs("alpha", 0.7f), -4, 4, DType.DOUBLE));
        c.add(new Unary("Selu", 13, attrs(), -4, 4, DType.DOUBLE));
        c.add(new Unary("Selu", 13, attrs("alpha", 1.5f, "gamma", 2.5f), -4, 4, DType.DOUBLE));
        c.add(new Unary("Sigmoid", 13, attrs(), -12, 12));
        c.add(new Unary("HardSigmoid", 13, attrs(), -6, 6, DType.DOUBLE));
        c.add(new Unary("HardSigmoid", 13, attrs("alpha", 0.3f, "beta", 0.4f), -6, 6, DType.DOUBLE));
        c.add(new Unary("HardSwish", 14, attrs(), -6, 6, DType.DOUBLE));
        c.add(new Unary("Tanh", 13, attrs(), -6, 6));
        c.add(new Unary("Softplus", 13, attrs(), -30, 30, DType.DOUBLE));
        c.add(new Unary("Softsign", 13, attrs(), -10, 10, DType.DOUBLE));
        c.add(new Unary("Erf", 13, attrs(), -4, 4, DType.DOUBLE));
        c.add(new Unary("Gelu", 20, attrs(), -5, 5, DType.DOUBLE));
        c.add(new Unary("Gelu", 20, attrs("approximate", "tanh"), -5, 5, DType.DOUBLE));
        c.add(new Unary("Mish", 18, attrs(), -10, 10));
        c.add(new Unary("Exp", 13, attrs(), -10, 10));
        c.add(new Unary("Log", 13, attrs(), 0.001f, 100));
        c.add(new Unary("Sqrt", 13, attrs(), 0, 100));
        c.add(new Unary("Abs", 13, attrs(), -5, 5));
        c.add(new Unary("Neg", 13, attrs(), -5, 5));
        c.add(new Unary("Reciprocal", 13, attrs(), 0.1f, 5));
        c.add(new Unary("Floor", 13, attrs(), -5, 5));
        c.add(new Unary("Ceil", 13, attrs(), -5, 5));
        c.add(new Unary("Round", 13, attrs(), -5, 5));
        c.add(new Unary("Sign", 13, attrs(), -5, 5));
        c.add(new Unary("Celu", 13, attrs("alpha", 1.5f), -4, 4, DType.DOUBLE, DType.FLOAT16));
        c.add(new Unary("ThresholdedRelu", 13, attrs("alpha", 0.5f), -2, 2, DType.DOUBLE));
        c.add(new Unary("Shrink", 13, attrs("bias", 0.2f, "lambd", 0.7f), -2, 2));
        c.add(new Unary("Sin", 13, attrs(), -7, 7));
        c.add(new Unary("Cos", 13, attrs(), -7, 7, DType.DOUBLE));
        c.add(new Unary("Tan", 13, attrs(), -1.5f, 1.5f, DType.DOUBLE));
        c.add(new Unary("Asin", 13, attrs(), -1, 1, DType.DOUBLE));
        c.add(new Unary("Acos", 13, attrs(), -1, 1, DType.DOUBLE));
        c.add(new Unary("Atan", 13, attrs(), -10, 10, DType.DOUBLE));
        c.add(new Unary("Sinh", 13, attrs(), -5, 5, DType.DOUBLE));
        c.add(new Unary("Cosh", 13, attrs(), -5, 5, DType.DOUBLE));
        c.add(new Unary("Asinh", 13, attrs(), -50, 50, DType.DOUBLE));
        c.add(new Unary("Acosh", 13, attrs(), 1, 50, DType.DOUBLE));
        c.add(new Unary("Atanh", 13, attrs(), -0.99f, 0.99f, DType.DOUBLE));
        return c;
    }

    private static Tensor input(Unary u, DType t, long seed) {
        Tensor x = TestTensors.uniform(seed, u.lo, u.hi, SHAPE);
        if (u.op.equals("Round")) {
            // exact halves exercise round-half-to-even
            float[] f = x.floats();
            for (int i = 0; i < f.length; i += 3) f[i] = Math.round(f[i] * 2) / 2f;
        }
        return as(t, x);
    }

    @TestFactory
    Stream<DynamicTest> unaryMatchesOnnxRuntime() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 1;
        for (Unary u : unaryCases()) {
            for (DType t : new DType[] {DType.FLOAT, DType.DOUBLE, DType.FLOAT16}) {
                long s = seed++;
                tests.add(DynamicTest.dynamicTest(u + " " + t, () -> {
                    if (!u.notInOrt.contains(t)) {
                        node(u.op, u.opset, u.attrs, input(u, t, s)).matchesOrt();
                    } else {
                        // same function as the (ORT-checked) float32 path, rounded to t
                        Tensor x = input(u, t, s);
                        Tensor expected = as(t, node(u.op, u.opset, u.attrs, as(DType.FLOAT, x)).kiln());
                        assertNull(OpHarness.VS_ORT_HALF.mismatch(expected, node(u.op, u.opset, u.attrs, x).kiln()));
                    }
                }));
            }
        }
        return tests.stream();
    }

    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    /** NaN, infinities, signed zeros and huge values, as ONNX Runtime treats them. */
    @TestFactory
    Stream<DynamicTest> specialValuesMatchOnnxRuntime() {
        Tensor x = vec(NAN, INF, -INF, 0f, -0f, 1e30f, -1e30f, 100f, -100f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 1f, -1f);
        List<DynamicTest> tests = new ArrayList<>();
        for (String op : new String[] {"Relu", "LeakyRelu", "Elu", "Selu", "Sigmoid", "HardSigmoid", "Tanh", "Softplus",
                "Softsign", "Erf", "Exp", "Log", "Sqrt", "Abs", "Neg", "Reciprocal", "Floor", "Ceil", "Round", "Sign",
                "Sin", "Atan", "Shrink"}) {
            // ONNX Runtime's Erf maps NaN to 1; Kiln keeps NaN (as the ONNX reference and numpy do)
            Tensor in = op.equals("Erf") ? vec(INF, -INF, 0f, -0f, 1e30f, -1e30f, 100f, -100f, 0.5f, -0.5f) : x;
            tests.add(DynamicTest.dynamicTest(op, () -> node(op, 13, attrs(), in).matchesOrt()));
        }
        tests.add(DynamicTest.dynamicTest("HardSwish", () -> node("HardSwish", 14, attrs(), x).matchesOrt()));
        tests.add(DynamicTest.dynamicTest("Mish", () -> node("Mish", 18, attrs(), x).matchesOrt()));
        tests.add(DynamicTest.dynamicTest("Gelu", () -> node("Gelu", 20, attrs(), x).matchesOrt()));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> integerInputsMatchOnnxRuntime() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String op : new String[] {"Abs", "Neg", "Sign", "Relu"}) {
            for (DType t : new DType[] {DType.INT8, DType.INT32, DType.INT64}) {
                if (op.equals("Relu") && t == DType.INT64) {
                    continue; // no ORT kernel; covered by handComputedIntegers
                }
                Tensor x = TestTensors.integers(7, t, -100, 100, 3, 4, 5);
                tests.add(DynamicTest.dynamicTest(op + " " + t, () -> node(op, 14, attrs(), x).matchesOrt()));
            }
        }
        for (DType t : new DType[] {DType.UINT8, DType.INT8, DType.INT32, DType.INT64}) {
            Tensor x = TestTensors.integers(8, t, t == DType.UINT8 ? 0 : -5, 5, 3, 4, 5);
            tests.add(DynamicTest.dynamicTest("Shrink " + t,
                    () -> node("Shrink", 13, attrs("bias", 1.5f, "lambd", 1.5f), x).matchesOrt()));
        }
        tests.add(DynamicTest.dynamicTest("Abs UINT8",
                () -> node("Abs", 13, attrs(), TestTensors.integers(9, DType.UINT8, 0, 255, 20)).matchesOrt()));
        tests.add(DynamicTest.dynamicTest("Sign UINT8",
                () -> node("Sign", 13, attrs(), TestTensors.integers(9, DType.UINT8, 0, 3, 20)).matchesOrt()));
        return tests.stream();
    }

    @Test
    void handComputedValues() {
        Tensor x = vec(-2f, -0.5f, 0f, 0.5f, 3f);
        assertArrayEquals(new float[] {0, 0, 0, 0.5f, 3}, node("Relu", 13, null, x).kiln().floats());
        assertArrayEquals(new float[] {-0.2f, -0.05f, 0, 0.5f, 3}, node("LeakyRelu", 13, attrs("alpha", 0.1f), x).kiln().floats(), 1e-7f);
        assertArrayEquals(new float[] {-1f / 3, -0.5f * 2.5f / 6, 0, 0.5f * 3.5f / 6, 3}, node("HardSwish", 14, null, x).kiln().floats(), 1e-6f);
        assertArrayEquals(new float[] {0.1f, 0.4f, 0.5f, 0.6f, 1f}, node("HardSigmoid", 13, null, x).kiln().floats(), 1e-6f);
        assertArrayEquals(new float[] {0, 0, 0, 0, 3}, node("ThresholdedRelu", 10, null, x).kiln().floats());
        assertArrayEquals(new float[] {-2f, -0f, 0f, 0f, 2f}, node("Round", 11, null, vec(-2.5f, -0.5f, 0.5f, 0.4f, 2.5f)).kiln().floats());
        assertArrayEquals(new float[] {-2f, 0, 0, 0, 3f}, node("Shrink", 9, null, x).kiln().floats());
        Tensor g = node("Gelu", 20, null, vec(1f, -1f)).kiln();
        assertArrayEquals(new float[] {0.8413447f, -0.1586553f}, g.floats(), 1e-6f);
        assertEquals(0.5204998778130465, ElementwiseMath.erf(0.5), 1e-15);
        assertEquals(-0.9999779095030014, ElementwiseMath.erf(-3), 1e-15);
        assertEquals(1.1283791670955126e-10, ElementwiseMath.erf(1e-10), 1e-24);
        for (double v = -30; v <= 30; v += 0.0137) {
            assertEquals(Math.tanh(v), ElementwiseMath.tanh(v), 5e-15 * Math.abs(Math.tanh(v)) + 1e-300, "tanh " + v);
            assertEquals(Math.tanh(v * 1e-3), ElementwiseMath.tanh(v * 1e-3), 5e-15 * Math.abs(Math.tanh(v * 1e-3)), "tanh " + v * 1e-3);
        }
        assertEquals(1.0, ElementwiseMath.tanh(Double.POSITIVE_INFINITY));
        assertTrue(Double.isNaN(ElementwiseMath.tanh(Double.NaN)));
        assertEquals(1000.0, ElementwiseMath.softplus(1000), 0);
        assertEquals(0.0, ElementwiseMath.softplus(-1000), 1e-300);
    }

    /** Big tensors run the float loops on several threads in chunks; results must not depend on it. */
    @Test
    void handComputedIntegers() {
        Tensor x = Tensor.ofLongs(new long[] {-5, 0, 7, Long.MIN_VALUE}, 4);
        assertArrayEquals(new long[] {0, 0, 7, 0}, node("Relu", 14, null, x).kiln().longs());
        assertArrayEquals(new long[] {5, 0, 7, Long.MIN_VALUE}, node("Abs", 13, null, x).kiln().longs());
        assertArrayEquals(new long[] {-1, 0, 1, -1}, node("Sign", 13, null, x).kiln().longs());
        Tensor u64 = Tensor.allocate(DType.UINT64, 3);
        u64.setLong(0, -1); // 2^64 - 1
        u64.setLong(1, 0);
        u64.setLong(2, 3);
        assertArrayEquals(new long[] {1, 0, 1}, node("Sign", 13, null, u64).kiln().longs());
        assertArrayEquals(new long[] {-1, 0, 3}, node("Relu", 14, null, u64).kiln().longs());
        assertArrayEquals(new long[] {-1, 0, 3}, node("Abs", 13, null, u64).kiln().longs());
        Tensor b = Tensor.ofBools(new boolean[] {true, false}, 2);
        assertArrayEquals(new byte[] {0, 1}, node("Not", 1, null, b).kiln().bytes());
    }

    @Test
    void parallelLoopsMatchSerial() {
        Tensor x = TestTensors.normal(11, 1, 64, 112, 112);
        for (String op : new String[] {"Relu", "Sigmoid", "HardSwish", "LeakyRelu", "Tanh"}) {
            OpHarness.Case c = node(op, 14, null, x);
            Tensor serial = c.kiln(1)[0];
            Tensor parallel = c.kiln(4)[0];
            assertArrayEquals(serial.floats(), parallel.floats(), op);
        }
        OpHarness.Case clip = node("Clip", 13, null, x, Tensor.scalar(0f), Tensor.scalar(6f));
        assertArrayEquals(clip.kiln(1)[0].floats(), clip.kiln(4)[0].floats());
    }

    @Test
    void rejectsTypesOutsideTheConstraints() {
        Tensor ints = TestTensors.integers(1, DType.INT32, -3, 3, 4);
        KilnException e = assertThrows(KilnException.class, () -> node("Sigmoid", 13, null, ints).kiln());
        assertTrue(e.getMessage().contains("Sigmoid does not accept int32"), e.getMessage());
        Tensor u = TestTensors.integers(1, DType.UINT8, 0, 3, 4);
        e = assertThrows(KilnException.class, () -> node("Neg", 13, null, u).kiln());
        assertTrue(e.getMessage().contains("Neg does not accept uint8"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Gelu", 20, attrs("approximate", "fast"), vec(1f)).kiln());
        assertTrue(e.getMessage().contains("approximate must be \"none\" or \"tanh\", found \"fast\""), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Gelu", 18, null, vec(1f)).kiln());
        assertTrue(e.getMessage().contains("Kiln implements opsets 20 to 21"), e.getMessage());
    }

    // ---- Clip ----

    @TestFactory
    Stream<DynamicTest> clipMatchesOnnxRuntime() {
        Tensor x = TestTensors.uniform(3, -5, 5, 3, 4, 5);
        Tensor special = vec(NAN, INF, -INF, 0f, -0f, 3f, -3f);
        Tensor lo = Tensor.scalar(-1.5f);
        Tensor hi = Tensor.scalar(2f);
        List<DynamicTest> t = new ArrayList<>();
        t.add(DynamicTest.dynamicTest("opset 6 attributes", () -> node("Clip", 7, attrs("min", -1.5f, "max", 2f), x).matchesOrt()));
        t.add(DynamicTest.dynamicTest("opset 6 min only", () -> node("Clip", 7, attrs("min", -1.5f), x).matchesOrt()));
        t.add(DynamicTest.dynamicTest("opset 6 defaults on inf", () -> node("Clip", 7, attrs(), special).matchesOrt()));
        t.add(DynamicTest.dynamicTest("opset 11 both", () -> node("Clip", 11, null, x, lo, hi).matchesOrt()));
        t.add(DynamicTest.dynamicTest("opset 11 both constant", () -> node("Clip", 11, null, x, lo, hi).constant(1, 2).matchesOrt()));
        t.add(DynamicTest.dynamicTest("opset 13 min only", () -> node("Clip", 13, null, x, lo).matchesOrt()));
        t.add(DynamicTest.dynamicTest("opset 13 max only", () -> node("Clip", 13, null, x, null, hi).matchesOrt()));
        t.add(DynamicTest.dynamicTest("opset 13 no bounds on specials", () -> node("Clip", 13, null, special).matchesOrt()));
        t.add(DynamicTest.dynamicTest("opset 13 bounds on specials", () -> node("Clip", 13, null, special, lo, hi).matchesOrt()));
        t.add(DynamicTest.dynamicTest("min above max", () -> node("Clip", 13, null, x, hi, lo).matchesOrt()));
        t.add(DynamicTest.dynamicTest("float16", () -> node("Clip", 13, null, as(DType.FLOAT16, x),
                as(DType.FLOAT16, lo), as(DType.FLOAT16, hi)).matchesOrt()));
        t.add(DynamicTest.dynamicTest("double", () -> node("Clip", 13, null, as(DType.DOUBLE, x),
                as(DType.DOUBLE, lo), as(DType.DOUBLE, hi)).matchesOrt()));
        for (DType d : new DType[] {DType.INT8, DType.UINT8, DType.INT32, DType.INT64}) {
            Tensor xi = TestTensors.integers(4, d, d == DType.UINT8 ? 0 : -100, 100, 3, 4, 5);
            Tensor l = as(d, Tensor.scalar(d == DType.UINT8 ? 10 : -20));
            Tensor h = as(d, Tensor.scalar(50));
            t.add(DynamicTest.dynamicTest(d + " both", () -> node("Clip", 13, null, xi, l, h).matchesOrt()));
            t.add(DynamicTest.dynamicTest(d + " min only", () -> node("Clip", 13, null, xi, l).matchesOrt()));
            t.add(DynamicTest.dynamicTest(d + " none", () -> node("Clip", 13, null, xi).matchesOrt()));
        }
        return t.stream();
    }

    @Test
    void clipRoundsAttributeBoundsToHalfTypes() {
        Tensor x = as(DType.FLOAT16, vec(-1f, 0.05f, 1f));
        Tensor y = node("Clip", 6, attrs("min", 0.1f, "max", 0.3f), x).kiln();
        assertArrayEquals(new float[] {0.099975586f, 0.099975586f, 0.30004883f}, y.floats());
    }

    @Test
    void clipRejectsNonScalarBoundsAndMixedTypes() {
        Tensor x = vec(1, 2, 3);
        KilnException e = assertThrows(KilnException.class, () -> node("Clip", 13, null, x, vec(0, 1)).kiln());
        assertTrue(e.getMessage().contains("min must be a scalar"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Clip", 13, null, x, as(DType.DOUBLE, Tensor.scalar(0))).kiln());
        assertTrue(e.getMessage().contains("min must have the input's type float32, found float64"), e.getMessage());
    }

    // ---- Dropout ----

    @TestFactory
    Stream<DynamicTest> dropoutMatchesOnnxRuntime() {
        Tensor x = TestTensors.normal(5, 2, 3, 4);
        Tensor ratio = Tensor.scalar(0.3f);
        Tensor off = Tensor.ofBools(new boolean[] {false});
        Tensor on = Tensor.ofBools(new boolean[] {true});
        List<DynamicTest> t = new ArrayList<>();
        t.add(DynamicTest.dynamicTest("opset 7", () -> node("Dropout", 7, attrs("ratio", 0.2f), x).matchesOrt()));
        t.add(DynamicTest.dynamicTest("opset 7 with mask", () -> node("Dropout", 7, null, x).outputs(2).matchesOrt()));
        t.add(DynamicTest.dynamicTest("opset 10 with mask", () -> node("Dropout", 10, null, x).outputs(2).matchesOrt()));
        t.add(DynamicTest.dynamicTest("opset 12 ratio", () -> node("Dropout", 12, null, x, ratio).matchesOrt()));
        t.add(DynamicTest.dynamicTest("opset 13 not training, mask", () -> node("Dropout", 13, null, x, ratio, off).outputs(2).matchesOrt()));
        t.add(DynamicTest.dynamicTest("opset 13 training, ratio 0", () -> node("Dropout", 13, null, x, Tensor.scalar(0f), on).outputs(2).matchesOrt()));
        t.add(DynamicTest.dynamicTest("float16", () -> node("Dropout", 13, null, as(DType.FLOAT16, x)).outputs(2).matchesOrt()));
        return t.stream();
    }

    @Test
    void dropoutMaskBeforeOpset10HasTheInputType() {
        Tensor[] out = node("Dropout", 7, null, vec(1, 2)).outputs(2).kiln(1);
        assertEquals(DType.FLOAT, out[1].dtype());
        assertArrayEquals(new float[] {0, 0}, out[1].floats());
        out = node("Dropout", 12, null, vec(1, 2)).outputs(2).kiln(1);
        assertArrayEquals(new byte[] {1, 1}, out[1].bytes());
    }

    @Test
    void dropoutInTrainingModeIsRefused() {
        Tensor x = vec(1, 2, 3);
        Tensor on = Tensor.ofBools(new boolean[] {true});
        KilnException e = assertThrows(KilnException.class,
                () -> node("Dropout", 13, null, x, Tensor.scalar(0.5f), on).constant(1, 2).kiln());
        assertTrue(e.getMessage().contains("training_mode is true: random dropout is not supported"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Dropout", 13, null, x, Tensor.scalar(0.5f), on).kiln());
        assertTrue(e.getMessage().contains("training_mode is true with ratio 0.5"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Dropout", 13, null, x, null, on).constant(2).kiln());
        assertTrue(e.getMessage().contains("training_mode is true"), e.getMessage());
    }
}
