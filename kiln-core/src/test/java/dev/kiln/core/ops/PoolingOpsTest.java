package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.kiln.core.ops.SpatialOpsHarness.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolingOpsTest {
    private static Tensor ramp(int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = i + 1;
        return Tensor.of(f, shape);
    }

    private static long[] repeat(int rank, long v) {
        long[] a = new long[rank];
        Arrays.fill(a, v);
        return a;
    }

    private static int[] spatialShape(int rank, int batch, int channels, int size) {
        int[] s = new int[rank + 2];
        s[0] = batch;
        s[1] = channels;
        for (int i = 0; i < rank; i++) s[i + 2] = size + i;
        return s;
    }

    // ---- hand-computed cases ----

    @Test
    void maxPoolWithIndicesRowAndColumnMajor() {
        Tensor x = Tensor.of(new float[] {
            1, 9, 2, 3,
            4, 5, 8, 6,
            7, 0, 1, 2,
            3, 4, 5, 11}, 1, 1, 4, 4);
        for (long order : new long[] {0, 1}) {
            Tensor[] r = node("MaxPool", 12).ints("kernel_shape", 2, 2).ints("strides", 2, 2)
                    .attr("storage_order", order).input(x).outputTypes(DType.FLOAT, DType.INT64).runKiln();
            assertArrayEquals(new float[] {9, 8, 7, 11}, r[0].floats());
            long[] want = order == 0 ? new long[] {1, 6, 8, 15} : new long[] {4, 9, 2, 15};
            assertArrayEquals(want, r[1].longs(), "storage_order " + order);
        }
    }

    @Test
    void maxPoolPropagatesNaNWithAndWithoutIndices() {
        Tensor x = Tensor.of(new float[] {1, Float.NaN, 3, 4, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 1, 1, 6);
        Tensor plain = node("MaxPool", 12).ints("kernel_shape", 2).ints("strides", 2).input(x).runKiln()[0];
        Tensor[] both = node("MaxPool", 12).ints("kernel_shape", 2).ints("strides", 2).input(x)
                .outputTypes(DType.FLOAT, DType.INT64).runKiln();
        for (Tensor y : new Tensor[] {plain, both[0]}) {
            assertTrue(Float.isNaN(y.floats()[0]));
            assertEquals(4f, y.floats()[1]);
            assertEquals(Float.NEGATIVE_INFINITY, y.floats()[2]);
        }
        assertArrayEquals(new long[] {1, 3, 4}, both[1].longs());
    }

    @Test
    void averagePoolCountsPaddingOnlyWhenAsked() {
        Tensor x = ramp(1, 1, 3, 3);
        Tensor ex = node("AveragePool", 11).ints("kernel_shape", 2, 2).ints("pads", 1, 1, 0, 0).input(x).runKiln()[0];
        assertArrayEquals(new float[] {1, 1.5f, 2.5f, 2.5f, 3, 4, 5.5f, 6, 7}, ex.floats());
        Tensor in = node("AveragePool", 11).ints("kernel_shape", 2, 2).ints("pads", 1, 1, 0, 0)
                .attr("count_include_pad", 1L).input(x).runKiln()[0];
        assertArrayEquals(new float[] {0.25f, 0.75f, 1.25f, 1.25f, 3, 4, 2.75f, 6, 7}, in.floats());
    }

    @Test
    void ceilModeDropsWindowStartingInEndPadding() {
        // (4 + 1 - 2) / 2 + 1 = 2.5 -> 3 windows, but the third would start at the end padding
        Tensor y = node("MaxPool", 12).ints("kernel_shape", 2).ints("strides", 2).ints("pads", 0, 1)
                .attr("ceil_mode", 1L).input(ramp(1, 1, 4)).runKiln()[0];
        assertArrayEquals(new int[] {1, 1, 2}, y.shape());
        // (5 + 3 - 3) / 2 + 1 = 3.5 -> 4 windows; the fourth starts inside the input and stays
        Tensor z = node("MaxPool", 12).ints("kernel_shape", 3).ints("strides", 2).ints("pads", 2, 1)
                .attr("ceil_mode", 1L).input(ramp(1, 1, 5)).runKiln()[0];
        assertArrayEquals(new float[] {1, 3, 5, 5}, z.floats());
    }

    @Test
    void averagePoolIncludePadDivisorChangedAtOpset19() {
        SpatialOpsHarness h11 = node("AveragePool", 11).ints("kernel_shape", 3).ints("strides", 2).ints("pads", 1, 1)
                .attr("ceil_mode", 1L).attr("count_include_pad", 1L).input(ramp(1, 1, 6));
        SpatialOpsHarness h19 = node("AveragePool", 19).ints("kernel_shape", 3).ints("strides", 2).ints("pads", 1, 1)
                .attr("ceil_mode", 1L).attr("count_include_pad", 1L).input(ramp(1, 1, 6));
        // last window covers input 5 (value 6), the end pad and one position beyond it
        assertArrayEquals(new float[] {1, 3, 5, 2}, h11.runKiln()[0].floats());
        assertArrayEquals(new float[] {1, 3, 5, 3}, h19.runKiln()[0].floats());
    }

    @Test
    void dilatedSamePoolUsesUndilatedKernelForPadding() {
        // as ONNX Runtime: pad = (5-1)*1 + 3 - 5 = 2, out = 5 + 2 - 2*2 - 1 + 1 = 3
        Tensor y = node("MaxPool", 12).ints("kernel_shape", 3, 3).ints("dilations", 2, 2).attr("auto_pad", "SAME_UPPER")
                .input(ramp(1, 1, 5, 5)).runKiln()[0];
        assertArrayEquals(new int[] {1, 1, 3, 3}, y.shape());
        assertArrayEquals(new float[] {19, 20, 19, 24, 25, 24, 19, 20, 19}, y.floats());
    }

    @Test
    void lpPoolHandComputed() {
        Tensor x = Tensor.of(new float[] {3, -4, 1, 2, 2, 1}, 1, 1, 6);
        Tensor y = node("LpPool", 11).ints("kernel_shape", 2).ints("strides", 2).input(x).runKiln()[0];
        assertArrayEquals(new float[] {5, (float) Math.sqrt(5), (float) Math.sqrt(5)}, y.floats(), 1e-6f);
        Tensor y1 = node("LpPool", 11).ints("kernel_shape", 3).ints("strides", 3).attr("p", 1L).input(x).runKiln()[0];
        assertArrayEquals(new float[] {8, 5}, y1.floats(), 1e-6f);
    }

    @Test
    void globalPoolsHandComputed() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, -1, -2, -3, -8}, 1, 2, 2, 2);
        assertArrayEquals(new float[] {2.5f, -3.5f}, node("GlobalAveragePool", 13).input(x).runKiln()[0].floats());
        Tensor m = node("GlobalMaxPool", 13).input(x).runKiln()[0];
        assertArrayEquals(new int[] {1, 2, 1, 1}, m.shape());
        assertArrayEquals(new float[] {4, -1}, m.floats());
    }

    @Test
    void maxUnpoolScattersToFlatIndices() {
        Tensor x = Tensor.of(new float[] {5, 6, 7, 8}, 1, 1, 2, 2);
        Tensor i = Tensor.ofLongs(new long[] {5, 7, 13, 15}, 1, 1, 2, 2);
        Tensor y = node("MaxUnpool", 11).ints("kernel_shape", 2, 2).ints("strides", 2, 2).input(x).input(i).runKiln()[0];
        float[] want = new float[16];
        want[5] = 5;
        want[7] = 6;
        want[13] = 7;
        want[15] = 8;
        assertArrayEquals(want, y.floats());
        assertArrayEquals(new int[] {1, 1, 4, 4}, y.shape());
    }

    // ---- ONNX Runtime comparisons ----

    /** Window attribute combinations for one spatial rank: kernel, stride, pads (begin, end), dilation, ceil, auto_pad. */
    private static List<Object[]> windows(int rank, boolean dilations, boolean ceil) {
        List<Object[]> out = new ArrayList<>();
        int[][] kp = {{2, 2, 0, 0}, {3, 2, 1, 1}, {3, 1, 1, 0}, {3, 2, 0, 2}, {2, 3, 1, 1}, {3, 3, 2, 1}};
        for (int[] c : kp) {
            for (int dil = 1; dil <= (dilations ? 2 : 1); dil++) {
                for (int cm = 0; cm <= (ceil ? 1 : 0); cm++) {
                    out.add(new Object[] {c[0], c[1], c[2], c[3], dil, cm, "NOTSET"});
                }
            }
        }
        for (String ap : new String[] {"VALID", "SAME_UPPER", "SAME_LOWER"}) {
            out.add(new Object[] {3, 2, 0, 0, 1, 0, ap});
            out.add(new Object[] {2, 1, 0, 0, dilations ? 2 : 1, ceil ? 1 : 0, ap});
        }
        return out;
    }

    private static SpatialOpsHarness windowed(String op, int opset, int rank, Object[] w, Tensor x) {
        SpatialOpsHarness h = node(op, opset).ints("kernel_shape", repeat(rank, (Integer) w[0]))
                .ints("strides", repeat(rank, (Integer) w[1]));
        if (w[6].equals("NOTSET")) {
            long[] pads = new long[2 * rank];
            for (int i = 0; i < rank; i++) {
                pads[i] = (Integer) w[2];
                pads[rank + i] = Math.min((Integer) w[3], (Integer) w[0] - 1);
            }
            h.ints("pads", pads);
        } else {
            h.attr("auto_pad", (String) w[6]);
        }
        if ((Integer) w[4] != 1) {
            h.ints("dilations", repeat(rank, (Integer) w[4]));
        }
        if ((Integer) w[5] != 0) {
            h.attr("ceil_mode", 1L);
        }
        return h.input(x);
    }

    @Test
    void maxPoolMatchesOrtOverWindowGrid() throws Exception {
        for (int rank = 1; rank <= 3; rank++) {
            Tensor x = TestTensors.normal(rank, spatialShape(rank, 2, 3, rank == 3 ? 5 : 7));
            for (Object[] w : windows(rank, true, true)) {
                String label = "MaxPool rank " + rank + " " + Arrays.toString(w);
                windowed("MaxPool", 12, rank, w, x).outputTypes(DType.FLOAT, DType.INT64).assertMatchesOrt(label);
            }
            windowed("MaxPool", 12, rank, windows(rank, true, true).get(3), x).attr("storage_order", 1L)
                    .outputTypes(DType.FLOAT, DType.INT64).assertMatchesOrt("MaxPool column-major rank " + rank);
            windowed("MaxPool", 8, rank, windows(rank, false, false).get(1), x).outputTypes(DType.FLOAT, DType.INT64)
                    .assertMatchesOrt("MaxPool-8 rank " + rank);
        }
    }

    /** The 8-bit MaxPool loop gives what the float loop gives on the same values, stored back to 8 bits. */
    @Test
    void maxPoolOn8BitDataEqualsTheFloatPath() {
        for (DType t : new DType[] {DType.INT8, DType.UINT8}) {
            for (int rank = 1; rank <= 3; rank++) {
                int[] shape = spatialShape(rank, 2, 3, rank == 3 ? 5 : 7);
                Tensor x = t == DType.INT8 ? TestTensors.integers(40 + rank, t, -128, 127, shape)
                        : TestTensors.integers(40 + rank, t, 0, 255, shape);
                for (Object[] w : windows(rank, true, true)) {
                    String label = "MaxPool " + t + " rank " + rank + " " + Arrays.toString(w);
                    Tensor got = windowed("MaxPool", 12, rank, w, x).runKiln()[0];
                    Tensor want = windowed("MaxPool", 12, rank, w, x.castTo(DType.FLOAT)).runKiln()[0].castTo(t);
                    assertTrue(want.sameAs(got), label + ": " + want + " vs " + got);
                }
            }
        }
    }

    @Test
    void averagePoolMatchesOrtAtOpsets11And19() throws Exception {
        for (int rank = 1; rank <= 3; rank++) {
            Tensor x = TestTensors.normal(10 + rank, spatialShape(rank, 1, 2, rank == 3 ? 5 : 7));
            for (int opset : new int[] {11, 19}) {
                for (Object[] w : windows(rank, opset >= 19, true)) {
                    for (long cip = 0; cip <= 1; cip++) {
                        String label = "AveragePool-" + opset + " rank " + rank + " cip " + cip + " " + Arrays.toString(w);
                        windowed("AveragePool", opset, rank, w, x).attr("count_include_pad", cip).assertMatchesOrt(label);
                    }
                }
            }
        }
    }

    @Test
    void lpPoolMatchesOrt() throws Exception {
        for (int rank = 1; rank <= 3; rank++) {
            Tensor x = TestTensors.normal(20 + rank, spatialShape(rank, 1, 2, rank == 3 ? 5 : 6));
            for (Object[] w : windows(rank, true, true)) {
                for (long p : new long[] {1, 2, 3}) {
                    windowed("LpPool", 18, rank, w, x).attr("p", p)
                            .assertMatchesOrt("LpPool rank " + rank + " p " + p + " " + Arrays.toString(w));
                }
            }
            windowed("LpPool", 11, rank, windows(rank, false, false).get(1), x).assertMatchesOrt("LpPool-11 rank " + rank);
        }
    }

    @Test
    void poolingDtypesMatchOrt() throws Exception {
        Tensor f = TestTensors.normal(31, 2, 3, 9, 8);
        Object[] w = {3, 2, 1, 1, 1, 1, "NOTSET"};
        for (DType t : new DType[] {DType.DOUBLE, DType.FLOAT16, DType.BFLOAT16}) {
            // ONNX Runtime lacks most of these kernels: compare with its float32 result on the same values
            Tensor x = f.castTo(t);
            Tensor xf = x.castTo(DType.FLOAT);
            List<SpatialOpsHarness[]> pairs = List.of(
                new SpatialOpsHarness[] {windowed("MaxPool", 12, 2, w, x), windowed("MaxPool", 12, 2, w, xf)},
                new SpatialOpsHarness[] {windowed("AveragePool", 19, 2, w, x), windowed("AveragePool", 19, 2, w, xf)},
                new SpatialOpsHarness[] {windowed("LpPool", 18, 2, w, x), windowed("LpPool", 18, 2, w, xf)},
                new SpatialOpsHarness[] {node("GlobalAveragePool", 13).input(x), node("GlobalAveragePool", 13).input(xf)},
                new SpatialOpsHarness[] {node("GlobalMaxPool", 13).input(x), node("GlobalMaxPool", 13).input(xf)});
            for (SpatialOpsHarness[] p : pairs) {
                Tensor got = p[0].runKiln()[0];
                assertEquals(t, got.dtype());
                Tensor want = p[1].runOrt()[0];
                double tol = t == DType.DOUBLE ? 1e-5 : t == DType.FLOAT16 ? 2e-3 : 1.6e-2;
                String m = new dev.kiln.core.testing.Tolerance(tol, tol).mismatch(want, got.castTo(DType.FLOAT));
                assertEquals(null, m, t + " " + p[0].model().graph().nodes().get(0).opType());
            }
        }
        windowed("MaxPool", 12, 2, w, f.castTo(DType.DOUBLE)).assertMatchesOrt("MaxPool double");
        for (DType t : new DType[] {DType.INT8, DType.UINT8}) {
            Tensor x = TestTensors.integers(32, t, t == DType.INT8 ? -128 : 0, t == DType.INT8 ? 127 : 255, 2, 3, 9, 8);
            windowed("MaxPool", 12, 2, w, x).assertMatchesOrt("MaxPool " + t);
        }
    }

    @Test
    void globalPoolsMatchOrtForEveryRank() throws Exception {
        for (int rank = 1; rank <= 3; rank++) {
            Tensor x = TestTensors.normal(40 + rank, spatialShape(rank, 2, 3, 6));
            node("GlobalAveragePool", 1).input(x).assertMatchesOrt("GlobalAveragePool rank " + rank);
            node("GlobalMaxPool", 1).input(x).assertMatchesOrt("GlobalMaxPool rank " + rank);
        }
    }

    @Test
    void maxUnpoolAfterMaxPoolMatchesOrt() throws Exception {
        // ONNX Runtime aborts the process on an index outside the output, so every case stays in range
        Tensor even = TestTensors.normal(50, 2, 3, 8, 6);
        Tensor[] pooled = node("MaxPool", 12).ints("kernel_shape", 2, 2).ints("strides", 2, 2).input(even)
                .outputTypes(DType.FLOAT, DType.INT64).runKiln();
        node("MaxUnpool", 11).ints("kernel_shape", 2, 2).ints("strides", 2, 2).input(pooled[0]).input(pooled[1])
                .assertMatchesOrt("MaxUnpool default shape");
        Tensor odd = TestTensors.normal(51, 2, 3, 7, 7);
        Tensor[] cut = node("MaxPool", 12).ints("kernel_shape", 2, 2).ints("strides", 2, 2).input(odd)
                .outputTypes(DType.FLOAT, DType.INT64).runKiln();
        node("MaxUnpool", 11).ints("kernel_shape", 2, 2).ints("strides", 2, 2).input(cut[0]).input(cut[1])
                .constant(Tensor.vector(2, 3, 7, 7)).assertMatchesOrt("MaxUnpool output_shape");
        Tensor[] padded = node("MaxPool", 12).ints("kernel_shape", 3, 3).ints("strides", 2, 2).ints("pads", 1, 1, 1, 1)
                .input(odd).outputTypes(DType.FLOAT, DType.INT64).runKiln();
        node("MaxUnpool", 11).ints("kernel_shape", 3, 3).ints("strides", 2, 2).ints("pads", 1, 1, 1, 1)
                .input(padded[0]).input(padded[1]).assertMatchesOrt("MaxUnpool padded");
    }

    @Test
    void cnnSizedPoolsMatchOrtWithThreads() throws Exception {
        Tensor x = TestTensors.normal(60, 1, 64, 112, 112);
        node("MaxPool", 12).ints("kernel_shape", 3, 3).ints("strides", 2, 2).ints("pads", 1, 1, 1, 1).input(x)
                .assertMatchesOrt("MaxPool 3x3 s2 p1");
        node("AveragePool", 11).ints("kernel_shape", 2, 2).ints("strides", 2, 2).input(x).assertMatchesOrt("AveragePool 2x2");
        node("GlobalAveragePool", 13).input(x).assertMatchesOrt("GlobalAveragePool");
    }

    // ---- inference and errors ----

    @Test
    void inferenceKeepsSymbolicBatchAndComputesSpatialDims() {
        Model m = node("MaxPool", 12).ints("kernel_shape", 3, 3).ints("strides", 2, 2).ints("pads", 1, 1, 1, 1)
                .attr("ceil_mode", 1L).input(ramp(1, 8, 10, 9)).outputTypes(DType.FLOAT, DType.INT64).model();
        m.graph().inputs().get(0).setType(new TensorType(DType.FLOAT, new dev.kiln.core.ir.Dim[] {
            dev.kiln.core.ir.Dim.symbol("N"), dev.kiln.core.ir.Dim.of(8), dev.kiln.core.ir.Dim.of(10),
            dev.kiln.core.ir.Dim.UNKNOWN}));
        TypeInference.run(m);
        TensorType y = m.graph().outputs().get(0).type();
        assertEquals("N", y.dim(0).param());
        assertEquals(8, y.dim(1).value());
        assertEquals(6, y.dim(2).value());
        assertTrue(!y.dim(3).isKnown());
        assertEquals(DType.INT64, m.graph().outputs().get(1).type().dtype());
    }

    @Test
    void badAttributesAreReportedWithTheNode() {
        KilnException e = assertThrows(KilnException.class, () -> node("MaxPool", 12).ints("kernel_shape", 2, 2)
                .ints("pads", 2, 0, 0, 0).input(ramp(1, 1, 4, 4)).runKiln());
        assertTrue(e.getMessage().contains("node 'n'") && e.getMessage().contains("smaller than kernel_shape"),
                e.getMessage());
        e = assertThrows(KilnException.class, () -> node("AveragePool", 11).input(ramp(1, 1, 4, 4)).runKiln());
        assertTrue(e.getMessage().contains("kernel_shape attribute is required"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("MaxPool", 12).ints("kernel_shape", 2, 2)
                .attr("auto_pad", "SAME").input(ramp(1, 1, 4, 4)).runKiln());
        assertTrue(e.getMessage().contains("auto_pad must be"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("MaxPool", 12).ints("kernel_shape", 2, 2)
                .ints("strides", 1).input(ramp(1, 1, 4, 4)).runKiln());
        assertTrue(e.getMessage().contains("strides has 1 values, expected 2"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("MaxPool", 12).ints("kernel_shape", 2)
                .input(ramp(1, 1, 4, 4)).runKiln());
        assertTrue(e.getMessage().contains("needs rank 3"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("AveragePool", 11).ints("kernel_shape", 2)
                .input(Tensor.ofInts(new int[] {1, 2, 3, 4}, 1, 1, 4)).runKiln());
        assertTrue(e.getMessage().contains("int32"), e.getMessage());
    }

    @Test
    void parallelRunEqualsSerialRun() {
        Tensor x = TestTensors.normal(70, 2, 16, 33, 31);
        SpatialOpsHarness h = node("AveragePool", 19).ints("kernel_shape", 3, 3).ints("strides", 2, 2)
                .ints("pads", 1, 1, 1, 1).attr("ceil_mode", 1L).input(x);
        assertTrue(h.runKiln(1)[0].sameAs(h.runKiln(4)[0]));
        SpatialOpsHarness m = node("MaxPool", 12).ints("kernel_shape", 3, 3).ints("strides", 2, 2).input(x)
                .outputTypes(DType.FLOAT, DType.INT64);
        Tensor[] a = m.runKiln(1);
        Tensor[] b = m.runKiln(4);
        assertTrue(a[0].sameAs(b[0]) && a[1].sameAs(b[1]));
    }

    @Test
    void emptyBatchGivesEmptyOutputs() {
        Tensor x = Tensor.allocate(DType.FLOAT, 0, 3, 8, 8);
        Tensor y = node("MaxPool", 12).ints("kernel_shape", 2, 2).ints("strides", 2, 2).input(x).runKiln()[0];
        assertArrayEquals(new int[] {0, 3, 4, 4}, y.shape());
        assertArrayEquals(new int[] {0, 3, 1, 1}, node("GlobalAveragePool", 13).input(x).runKiln()[0].shape());
    }
}
