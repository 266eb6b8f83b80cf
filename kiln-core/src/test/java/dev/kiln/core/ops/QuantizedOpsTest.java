package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.QuantParams;
import dev.kiln.core.KilnException;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear against ONNX Runtime, exactly, over
 * opsets, types and granularities; plus the cases where Kiln follows the spec and ORT does not.
 * The integer convolutions and matrix products are in {@link IntegerOpsTest}.
 */
class QuantizedOpsTest {
    static Tensor scalar(DType t, long v) {
        Tensor s = Tensor.allocate(t);
        s.setLong(0, v);
        return s;
    }

    static Tensor ofType(DType t, double... v) {
        return Tensor.fromDoubles(t, v, v.length);
    }

    /** Floats that hit .5 boundaries of x / scale, the saturation limits and special values, then noise. */
    static Tensor awkwardFloats(long seed, float scale, int n, boolean specials) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.allocate(DType.FLOAT, n);
        float[] f = t.floats();
        for (int i = 0; i < n; i++) {
            switch (i % 5) {
                case 0: f[i] = (r.nextInt(-300, 300) + 0.5f) * scale; break;
                case 1: f[i] = r.nextInt(-140, 140) * scale; break;
                default: f[i] = (float) (r.nextDouble(-200, 200) * scale);
            }
        }
        if (specials && n >= 8) {
            f[1] = Float.NaN;
            f[3] = Float.POSITIVE_INFINITY;
            f[5] = Float.NEGATIVE_INFINITY;
            f[7] = -0f;
        }
        return t;
    }

    static float[] randomScales(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) Math.exp(r.nextDouble(-5, 1));
        }
        return s;
    }

    static Tensor zeroPoints(long seed, DType t, int... shape) {
        long lo = QuantParams.lo(t);
        long hi = QuantParams.hi(t);
        long span = Math.min(hi - lo, 200);
        long mid = (lo + hi) / 2;
        return TestTensors.integers(seed, t, mid - span / 2, mid + span / 2, shape);
    }

    // ---- QuantizeLinear ----------------------------------------------------------------------

    @Test
    void quantizeLinearPerTensorMatchesOrt() throws Exception {
        int seed = 0;
        for (int opset : new int[] {10, 13, 19, 21}) {
            List<DType> types = opset >= 21 ? List.of(DType.INT8, DType.UINT8, DType.INT16, DType.UINT16)
                    : List.of(DType.INT8, DType.UINT8);
            for (DType t : types) {
                for (int n : new int[] {7, 64, 1000}) {
                    float scale = randomScales(++seed, 1)[0];
                    Tensor x = awkwardFloats(seed, scale, n, true);
                    SingleNodeModel c = new SingleNodeModel().input(x).constant(Tensor.scalar(scale)).constant(zeroPoints(seed, t));
                    c.assertMatchesOrt("QuantizeLinear", opset, 1, "opset " + opset + " " + t + " n=" + n);
                }
            }
            // no zero point: uint8 with zero point 0
            Tensor x = awkwardFloats(99, 0.05f, 100, true);
            Tensor y = new SingleNodeModel().input(x).constant(Tensor.scalar(0.05f))
                    .assertMatchesOrt("QuantizeLinear", opset, 1, "no zero point").get("out0");
            assertEquals(DType.UINT8, y.dtype());
        }
    }

    @Test
    void quantizeLinearPerAxisMatchesOrt() throws Exception {
        int[] shape = {2, 3, 4, 5};
        int seed = 100;
        for (int opset : new int[] {13, 19, 21}) {
            for (DType t : List.of(DType.INT8, DType.UINT8)) {
                for (int axis : new int[] {0, 1, 3, -1, -3}) {
                    int c = shape[axis < 0 ? axis + 4 : axis];
                    float[] scales = randomScales(++seed, c);
                    Tensor x = TestTensors.normal(seed, shape);
                    SingleNodeModel n = new SingleNodeModel().input(x).constant(Tensor.of(scales, c)).constant(zeroPoints(seed, t, c))
                            .attr("axis", axis);
                    n.assertMatchesOrt("QuantizeLinear", opset, 1, "opset " + opset + " " + t + " axis " + axis);
                }
            }
        }
        // a one-element 1-D scale is per-tensor whatever the axis (ORT's rule)
        Tensor x = TestTensors.normal(7, 2, 3);
        new SingleNodeModel().input(x).constant(Tensor.of(new float[] {0.02f}, 1)).constant(zeroPoints(7, DType.INT8, 1))
                .attr("axis", 1).assertMatchesOrt("QuantizeLinear", 13, 1, "one-element scale");
    }

    @Test
    void quantizeLinearBlockedMatchesOrt() throws Exception {
        int seed = 200;
        // blocked along the last axis (ORT's MLAS path), including special values
        for (int block : new int[] {1, 2, 3, 4, 8}) {
            int k = 7;
            int nb = (k + block - 1) / block;
            Tensor x = awkwardFloats(++seed, 0.1f, 3 * k, true).reshape(3, k);
            Tensor s = Tensor.of(randomScales(seed, 3 * nb), 3, nb);
            new SingleNodeModel().input(x).constant(s).constant(zeroPoints(seed, DType.INT8, 3, nb))
                    .attr("axis", 1).attr("block_size", block)
                    .assertMatchesOrt("QuantizeLinear", 21, 1, "blocked last axis, block " + block);
        }
        // blocked along a middle axis, finite values (ORT maps +inf to the lowest value there; see below)
        for (DType t : List.of(DType.UINT8, DType.INT16)) {
            Tensor x = awkwardFloats(++seed, 0.1f, 2 * 5 * 3, false).reshape(2, 5, 3);
            Tensor s = Tensor.of(randomScales(seed, 2 * 3 * 3), 2, 3, 3);
            new SingleNodeModel().input(x).constant(s).constant(zeroPoints(seed, t, 2, 3, 3))
                    .attr("axis", 1).attr("block_size", 2)
                    .assertMatchesOrt("QuantizeLinear", 21, 1, "blocked middle axis " + t);
        }
        // output_dtype without a zero point
        Tensor x = TestTensors.normal(5, 4, 6);
        Tensor y = new SingleNodeModel().input(x).constant(Tensor.of(randomScales(5, 4 * 3), 4, 3))
                .attr("axis", -1).attr("block_size", 2).attr("output_dtype", DType.INT8.onnxCode())
                .assertMatchesOrt("QuantizeLinear", 21, 1, "output_dtype").get("out0");
        assertEquals(DType.INT8, y.dtype());
    }

    /**
     * Where ONNX Runtime 1.24 leaves the spec, Kiln follows the spec (round half to even,
     * saturation): ORT truncates float16 inputs toward zero (1.5 → 1, 0.7 → 0) and maps their
     * infinities, and +inf in blocked quantization along a non-last axis, to the lowest value
     * (both cast the float to int32 directly instead of going through MLAS).
     */
    @Test
    void quantizeLinearFollowsTheSpecWhereOrtDoesNot() {
        Tensor x = ofType(DType.FLOAT16, 0.5, 1.5, 2.5, -0.5, -2.5, 0.7, -0.7, 3.5, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.NaN, 1000);
        Tensor y = new SingleNodeModel().input(x).constant(ofType(DType.FLOAT16, 1)).constant(scalar(DType.INT8, 0))
                .runKiln("QuantizeLinear", 19);
        assertArrayEquals(new long[] {0, 2, 2, 0, -2, 1, -1, 4, 127, -128, -128, 127}, y.toLongArray());

        Tensor b = Tensor.of(new float[] {Float.POSITIVE_INFINITY, 1.5f, -2.5f, 2.5f}, 1, 2, 2);
        Tensor ym = new SingleNodeModel().input(b).constant(Tensor.of(new float[] {1f, 1f}, 1, 1, 2))
                .constant(Tensor.allocate(DType.INT8, 1, 1, 2))
                .attr("axis", 1).attr("block_size", 2).runKiln("QuantizeLinear", 21);
        assertArrayEquals(new long[] {127, 2, -2, 2}, ym.toLongArray());

        // bfloat16 (not in ORT): float32 division of the stored values
        Tensor bf = ofType(DType.BFLOAT16, 1.5, -2.5, 300);
        Tensor yf = new SingleNodeModel().input(bf).constant(ofType(DType.BFLOAT16, 0.5)).constant(scalar(DType.UINT8, 10))
                .runKiln("QuantizeLinear", 19);
        assertArrayEquals(new long[] {13, 5, 255}, yf.toLongArray());
        // int32 input (not in ORT): divided in double
        Tensor xi = Tensor.ofInts(new int[] {3, -5, 1000, 7}, 4);
        Tensor yi = new SingleNodeModel().input(xi).constant(Tensor.scalar(2f)).constant(scalar(DType.INT8, 1))
                .runKiln("QuantizeLinear", 13);
        assertArrayEquals(new long[] {3, -1, 127, 5}, yi.toLongArray());
    }

    // ---- DequantizeLinear --------------------------------------------------------------------

    @Test
    void dequantizeLinearMatchesOrt() throws Exception {
        int seed = 300;
        for (int opset : new int[] {10, 13, 19, 21}) {
            List<DType> types = opset >= 21 ? List.of(DType.INT8, DType.UINT8, DType.INT16, DType.UINT16, DType.INT32)
                    : List.of(DType.INT8, DType.UINT8, DType.INT32);
            for (DType t : types) {
                Tensor x = t == DType.INT32
                        ? TestTensors.integers(++seed, t, -(1L << 30), 1L << 30, 3, 4, 5)
                        : TestTensors.integers(++seed, t, QuantParams.lo(t), QuantParams.hi(t), 3, 4, 5);
                Tensor zp = t == DType.INT32 ? null : zeroPoints(seed, t);
                new SingleNodeModel().data(x).constant(Tensor.scalar(randomScales(seed, 1)[0])).constant(zp)
                        .assertMatchesOrt("DequantizeLinear", opset, 1, "opset " + opset + " " + t);
                if (opset >= 13) {
                    for (int axis : new int[] {0, -2, 2}) {
                        int c = x.dim(axis < 0 ? axis + 3 : axis);
                        Tensor zc = t == DType.INT32 ? null : zeroPoints(seed + axis, t, c);
                        new SingleNodeModel().data(x).constant(Tensor.of(randomScales(seed + axis, c), c)).constant(zc)
                                .attr("axis", axis)
                                .assertMatchesOrt("DequantizeLinear", opset, 1, "opset " + opset + " " + t + " axis " + axis);
                    }
                }
            }
        }
    }

    @Test
    void dequantizeLinearFloat16ScaleAndBlocksMatchOrt() throws Exception {
        Tensor x = TestTensors.integers(1, DType.UINT8, 0, 255, 4, 6);
        Tensor s16 = Tensor.allocate(DType.FLOAT16, 4);
        for (int i = 0; i < 4; i++) {
            s16.setDouble(i, 0.013 * (i + 1));
        }
        for (int opset : new int[] {19, 21}) {
            Tensor y = new SingleNodeModel().input(x).constant(s16).constant(zeroPoints(1, DType.UINT8, 4)).attr("axis", 0)
                    .assertMatchesOrt("DequantizeLinear", opset, 1, "float16 scale").get("out0");
            assertEquals(DType.FLOAT16, y.dtype());
        }
        for (int block : new int[] {1, 2, 4, 5}) {
            int nb = (6 + block - 1) / block;
            for (DType t : List.of(DType.INT8, DType.UINT16)) {
                Tensor xb = TestTensors.integers(block, t, QuantParams.lo(t), QuantParams.hi(t), 4, 6);
                new SingleNodeModel().data(xb).constant(Tensor.of(randomScales(block, 4 * nb), 4, nb))
                        .constant(zeroPoints(block, t, 4, nb)).attr("axis", 1).attr("block_size", block)
                        .assertMatchesOrt("DequantizeLinear", 21, 1, "blocked " + t + " block " + block);
                Tensor xa = TestTensors.integers(block, t, QuantParams.lo(t), QuantParams.hi(t), 6, 3);
                new SingleNodeModel().data(xa).constant(Tensor.of(randomScales(block, nb * 3), nb, 3))
                        .attr("axis", 0).attr("block_size", block)
                        .assertMatchesOrt("DequantizeLinear", 21, 1, "blocked axis 0 " + t + " block " + block);
            }
        }
    }

    @Test
    void dequantizeLinearHandComputed() {
        Tensor x = ofType(DType.UINT8, 0, 255, 128, 3);
        Tensor y = new SingleNodeModel().input(x).constant(Tensor.scalar(0.5f)).constant(scalar(DType.UINT8, 128))
                .runKiln("DequantizeLinear", 13);
        assertArrayEquals(new float[] {-64f, 63.5f, 0f, -62.5f}, y.floats(), 0f);
        // int32 above 2^24 rounds when converted to float; bfloat16 output rounds the float32 product
        Tensor xi = Tensor.ofInts(new int[] {16777217, -3}, 2);
        Tensor yi = new SingleNodeModel().input(xi).constant(Tensor.scalar(1f)).runKiln("DequantizeLinear", 10);
        assertArrayEquals(new float[] {16777216f, -3f}, yi.floats(), 0f);
        Tensor yb = new SingleNodeModel().input(ofType(DType.INT8, 100, -7)).constant(ofType(DType.BFLOAT16, 0.1))
                .runKiln("DequantizeLinear", 19);
        assertEquals(DType.BFLOAT16, yb.dtype());
        assertEquals(10.0f, yb.floats()[0], 0f); // 100 * 0.10009765625 = 10.009766 → bfloat16 10.0
        assertEquals(-0.69921875f, yb.floats()[1], 0f); // -0.70068359375 → bfloat16
    }

    // ---- DynamicQuantizeLinear ---------------------------------------------------------------

    @Test
    void dynamicQuantizeLinearMatchesOrt() throws Exception {
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(TestTensors.normal(1, 2, 3, 4));
        inputs.add(TestTensors.uniform(2, 0.5f, 3f, 5, 7));        // positive only
        inputs.add(TestTensors.uniform(3, -9f, -0.25f, 100));      // negative only
        inputs.add(Tensor.allocate(DType.FLOAT, 3, 3));             // all zero
        inputs.add(TestTensors.uniform(4, -1000f, 20f, 1, 3000));  // big, parallel paths
        inputs.add(awkwardFloats(5, 0.01f, 77, false));
        inputs.add(Tensor.allocate(DType.FLOAT, 0, 4));             // empty
        for (int i = 0; i < inputs.size(); i++) {
            new SingleNodeModel().input(inputs.get(i)).assertMatchesOrt("DynamicQuantizeLinear", 11, 3, "input " + i);
        }
    }

    // ---- inference and errors ----------------------------------------------------------------

    @Test
    void infersTypesAndShapes() {
        Graph g = new Graph("t");
        Value x = g.addInput("x", new TensorType(DType.FLOAT, new dev.kiln.core.ir.Dim[] {
                dev.kiln.core.ir.Dim.UNKNOWN, dev.kiln.core.ir.Dim.of(3)}));
        Value s = g.addInitializer("s", new ConstTensor(Tensor.scalar(0.1f)));
        Value z = g.addInitializer("z", new ConstTensor(scalar(DType.INT16, 0)));
        Attributes a = new Attributes();
        a.put(Attribute.of("output_dtype", (long) DType.INT8.onnxCode()));
        Node q1 = g.addNode("q1", "QuantizeLinear", "", null, List.of(x, s), List.of("q1"));
        Node q2 = g.addNode("q2", "QuantizeLinear", "", null, List.of(x, s, z), List.of("q2"));
        Node q3 = g.addNode("q3", "QuantizeLinear", "", a, List.of(x, s), List.of("q3"));
        Node d = g.addNode("d", "DequantizeLinear", "", null, List.of(q3.output(0), s), List.of("d"));
        Node dq = g.addNode("dq", "DynamicQuantizeLinear", "", null, List.of(x), List.of("y", "ys", "yz"));
        for (Node n : List.of(q1, q2, q3, d)) {
            g.addOutput(n.output(0));
        }
        Model m = new Model(g);
        m.opsets().put("", 21L);
        TypeInference.run(m);
        assertEquals("uint8[?x3]", q1.output(0).type().toString());
        assertEquals("int16[?x3]", q2.output(0).type().toString());
        assertEquals("int8[?x3]", q3.output(0).type().toString());
        assertEquals("float32[?x3]", d.output(0).type().toString());
        assertEquals("uint8[?x3]", dq.output(0).type().toString());
        assertEquals("float32[]", dq.output(1).type().toString());
        assertEquals("uint8[]", dq.output(2).type().toString());
    }

    @Test
    void errorsNameTheProblem() {
        Tensor x = TestTensors.normal(1, 2, 3, 4);
        KilnException e = assertThrows(KilnException.class, () -> new SingleNodeModel().input(x)
                .constant(Tensor.of(new float[] {1, 2}, 2)).attr("axis", 1).runKiln("QuantizeLinear", 13));
        assertTrue(e.getMessage().contains("per-axis scale must be 1-D of length 3"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new SingleNodeModel().input(x)
                .constant(Tensor.of(new float[] {1, 2, 3}, 3)).attr("axis", 3).runKiln("QuantizeLinear", 13));
        assertTrue(e.getMessage().contains("axis 3 is out of range"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new SingleNodeModel().input(x)
                .constant(Tensor.of(new float[4 * 3], 2, 2, 3)).attr("axis", 1).attr("block_size", 2)
                .runKiln("QuantizeLinear", 21));
        assertTrue(e.getMessage().contains("must have shape [2, 2, 4]"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new SingleNodeModel().input(x).constant(Tensor.scalar(1f))
                .constant(scalar(DType.UINT8, 0)).attr("output_dtype", DType.INT8.onnxCode())
                .runKiln("QuantizeLinear", 21));
        assertTrue(e.getMessage().contains("output_dtype int8 does not match the zero point's type uint8"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new SingleNodeModel().input(x).constant(Tensor.scalar(1f))
                .attr("output_dtype", 17).runKiln("QuantizeLinear", 21));
        assertTrue(e.getMessage().contains("output_dtype float8e4m3fn is not supported"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new SingleNodeModel().input(x)
                .constant(Tensor.of(new float[] {1, 1}, 1, 1, 2)).constant(Tensor.allocate(DType.INT8, 1, 1, 1))
                .attr("axis", 1).attr("block_size", 2).runKiln("QuantizeLinear", 21));
        assertTrue(e.getMessage().contains("zero point must have the scale's shape"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new SingleNodeModel().input(Tensor.ofInts(new int[] {1}, 1))
                .constant(Tensor.scalar(1f)).constant(Tensor.ofInts(new int[] {2}, 1)).runKiln("DequantizeLinear", 13));
        assertTrue(e.getMessage().contains("int32 input has no zero point"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new SingleNodeModel().input(x).runKiln("DequantizeLinear", 13));
        assertTrue(e.getMessage().contains("DequantizeLinear"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new SingleNodeModel().input(ofType(DType.DOUBLE, 1))
                .runKiln("DynamicQuantizeLinear", 11));
        assertTrue(e.getMessage().contains("input must be float32, found float64"), e.getMessage());
    }
}
