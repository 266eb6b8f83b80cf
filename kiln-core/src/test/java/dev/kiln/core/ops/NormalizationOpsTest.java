package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalizationOpsTest {
    private static Tensor positive(long seed, int... shape) {
        return TestTensors.uniform(seed, 0.5f, 2f, shape);
    }

    private static NormReduceHarness batchNorm(int opset, Tensor x, int c) {
        return NormReduceHarness.op("BatchNormalization", opset).input(x).constInput(TestTensors.normal(41, c))
                .constInput(TestTensors.normal(42, c)).constInput(TestTensors.normal(43, c)).constInput(positive(44, c));
    }

    @Test
    void batchNormalizationMatchesOnnxRuntime() {
        for (int opset : new int[] {7, 9, 14, 15}) {
            batchNorm(opset, TestTensors.normal(40, 2, 3, 4, 5), 3).assertMatchesOrt();
            batchNorm(opset, TestTensors.normal(40, 4, 6), 6).attr("epsilon", 1e-3f).assertMatchesOrt();
            batchNorm(opset, TestTensors.normal(40, 1, 5, 2, 3, 2), 5).assertMatchesOrt();
        }
        // a CNN-sized map runs the parallel float path
        batchNorm(15, TestTensors.normal(45, 2, 64, 28, 28), 64).assertMatchesOrt();
        NormReduceHarness.op("BatchNormalization", 15).input(TestTensors.normal(45, 2, 3, 5).castTo(DType.DOUBLE))
                .constInput(TestTensors.normal(41, 3).castTo(DType.DOUBLE))
                .constInput(TestTensors.normal(42, 3).castTo(DType.DOUBLE))
                .constInput(TestTensors.normal(43, 3).castTo(DType.DOUBLE))
                .constInput(positive(44, 3).castTo(DType.DOUBLE)).assertMatchesOrt();
    }

    @Test
    void batchNormalizationHandComputed() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2);
        Tensor y = NormReduceHarness.op("BatchNormalization", 15).input(x)
                .constInput(Tensor.of(new float[] {2, 1}, 2)).constInput(Tensor.of(new float[] {0, 1}, 2))
                .constInput(Tensor.of(new float[] {1, 3}, 2)).constInput(Tensor.of(new float[] {4, 1}, 2))
                .attr("epsilon", 0f).kiln();
        // channel 0: (x - 1) / 2 * 2 + 0; channel 1: (x - 3) / 1 * 1 + 1
        assertArrayEquals(new float[] {0, 1, 1, 2}, y.floats(), 1e-6f);
    }

    @Test
    void batchNormalizationPerElementParametersWithSpatialZero() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        Tensor scale = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor zero = Tensor.of(new float[4], 2, 2);
        Tensor one = Tensor.of(new float[] {1, 1, 1, 1}, 2, 2);
        Tensor y = NormReduceHarness.op("BatchNormalization", 7).input(x).constInput(scale).constInput(zero)
                .constInput(zero).constInput(one).attr("spatial", 0L).attr("epsilon", 0f).kiln();
        assertArrayEquals(new float[] {1, 4, 9, 16, 5, 12, 21, 32}, y.floats(), 1e-5f);
    }

    @Test
    void batchNormalizationTrainingModeIsRejectedLikeOnnxRuntime() {
        NormReduceHarness h = batchNorm(15, TestTensors.normal(40, 2, 3, 4), 3).attr("training_mode", 1L)
                .outputs("y", "running_mean", "running_var");
        KilnException e = assertThrows(KilnException.class, h::kiln);
        assertTrue(e.getMessage().contains("training_mode = 1 is not supported"), e.getMessage());
        // ONNX Runtime's inference build refuses training mode as well
        assertThrows(AssertionError.class, h::runOrt);
        NormReduceHarness old = batchNorm(9, TestTensors.normal(40, 2, 3, 4), 3)
                .outputs("y", "mean", "var", "saved_mean", "saved_var");
        e = assertThrows(KilnException.class, old::kiln);
        assertTrue(e.getMessage().contains("training mode"), e.getMessage());
    }

    @Test
    void instanceNormalizationMatchesOnnxRuntime() {
        for (int[] shape : new int[][] {{2, 3, 4, 5}, {1, 4, 7}, {2, 2, 3, 3, 2}}) {
            int c = shape[1];
            NormReduceHarness.op("InstanceNormalization", 6).input(TestTensors.normal(50, shape))
                    .constInput(TestTensors.normal(51, c)).constInput(TestTensors.normal(52, c)).assertMatchesOrt();
        }
        NormReduceHarness.op("InstanceNormalization", 6).input(TestTensors.normal(53, 1, 32, 64, 64))
                .constInput(TestTensors.normal(51, 32)).constInput(TestTensors.normal(52, 32))
                .attr("epsilon", 1e-3f).assertMatchesOrt();
    }

    @Test
    void layerNormalizationMatchesOnnxRuntimeWithStatistics() {
        Tensor x = TestTensors.normal(60, 2, 3, 4, 5);
        for (long axis : new long[] {0, 1, 2, 3, -1, -2}) {
            int a = (int) (axis < 0 ? axis + 4 : axis);
            int[] norm = java.util.Arrays.copyOfRange(x.shape(), a, 4);
            NormReduceHarness.op("LayerNormalization", 17).input(x).constInput(TestTensors.normal(61, norm))
                    .constInput(TestTensors.normal(62, norm)).attr("axis", axis)
                    .outputs("y", "mean", "inv_std").assertMatchesOrt();
        }
        // no bias, only Y requested, transformer-sized rows
        Tensor h = TestTensors.normal(63, 4, 128, 384);
        NormReduceHarness.op("LayerNormalization", 17).input(h).constInput(TestTensors.normal(64, 384))
                .attr("epsilon", 1e-12f).assertMatchesOrt();
        // scale broadcast over the normalized shape
        NormReduceHarness.op("LayerNormalization", 17).input(x).constInput(TestTensors.normal(65, 5))
                .constInput(TestTensors.normal(66, 4, 5)).attr("axis", -2L).assertMatchesOrt();
    }

    @Test
    void layerNormalizationStatisticsShapeAndType() {
        Tensor x = TestTensors.normal(67, 2, 3, 4).castTo(DType.FLOAT16);
        Map<String, Tensor> out = NormReduceHarness.op("LayerNormalization", 17).input(x)
                .constInput(Tensor.fromDoubles(DType.FLOAT16, new double[] {1, 1, 1, 1}, 4)).attr("axis", -1L)
                .outputs("y", "", "inv_std").runKiln();
        assertEquals(DType.FLOAT16, out.get("y").dtype());
        assertEquals(DType.FLOAT, out.get("inv_std").dtype());
        assertArrayEquals(new int[] {2, 3, 1}, out.get("inv_std").shape());
    }

    @Test
    void groupNormalizationMatchesOnnxRuntime() {
        Tensor x = TestTensors.normal(70, 2, 6, 4, 3);
        NormReduceHarness.op("GroupNormalization", 21).input(x).constInput(TestTensors.normal(71, 6))
                .constInput(TestTensors.normal(72, 6)).attr("num_groups", 3L).assertMatchesOrt();
        NormReduceHarness.op("GroupNormalization", 21).input(x).constInput(TestTensors.normal(71, 6))
                .constInput(TestTensors.normal(72, 6)).attr("num_groups", 2L).attr("epsilon", 1e-2f).assertMatchesOrt();
        NormReduceHarness.op("GroupNormalization", 18).input(x).constInput(TestTensors.normal(73, 3))
                .constInput(TestTensors.normal(74, 3)).attr("num_groups", 3L).assertMatchesOrt();
        KilnException e = assertThrows(KilnException.class, () -> NormReduceHarness.op("GroupNormalization", 21)
                .input(x).constInput(TestTensors.normal(71, 6)).constInput(TestTensors.normal(72, 6))
                .attr("num_groups", 4L).kiln());
        assertTrue(e.getMessage().contains("cannot be split into 4 groups"), e.getMessage());
    }

    @Test
    void meanVarianceNormalizationMatchesOnnxRuntime() {
        Tensor x = TestTensors.normal(80, 2, 3, 4, 5);
        NormReduceHarness.op("MeanVarianceNormalization", 13).input(x).assertMatchesOrt();
        NormReduceHarness.op("MeanVarianceNormalization", 9).input(x).assertMatchesOrt();
        for (long[] axes : new long[][] {{2, 3}, {1}, {0, 1, 2, 3}, {0, 3}, {-1}}) {
            NormReduceHarness.op("MeanVarianceNormalization", 13).input(x).attr("axes", axes).assertMatchesOrt();
        }
    }

    @Test
    void lrnMatchesOnnxRuntime() {
        Tensor x = TestTensors.normal(90, 2, 7, 5, 4);
        // ONNX Runtime only takes odd sizes
        for (long size : new long[] {1, 3, 5, 9}) {
            NormReduceHarness.op("LRN", 13).input(x).attr("size", size).assertMatchesOrt();
        }
        // size 2: the window is the channel and the next one (floor(1/2) before, ceil(1/2) after)
        Tensor c = Tensor.of(new float[] {1, 2, 3}, 1, 3);
        float[] y = NormReduceHarness.op("LRN", 13).input(c).attr("size", 2L).attr("alpha", 2f).attr("beta", 1f)
                .attr("bias", 1f).kiln().floats();
        assertArrayEquals(new float[] {1f / (1 + 5), 2f / (1 + 13), 3f / (1 + 9)}, y, 1e-6f);
        NormReduceHarness.op("LRN", 13).input(x).attr("size", 3L).attr("alpha", 0.01f).attr("beta", 0.5f)
                .attr("bias", 2f).assertMatchesOrt();
        KilnException e = assertThrows(KilnException.class, () -> NormReduceHarness.op("LRN", 13).input(x).kiln());
        assertTrue(e.getMessage().contains("size is required"), e.getMessage());
    }

    @Test
    void lpNormalizationMatchesOnnxRuntime() {
        Tensor x = TestTensors.normal(100, 3, 4, 5);
        for (long p : new long[] {1, 2}) {
            for (long axis : new long[] {0, 1, 2, -1}) {
                NormReduceHarness.op("LpNormalization", 13).input(x).attr("p", p).attr("axis", axis).assertMatchesOrt();
            }
        }
        Tensor zeros = Tensor.of(new float[] {0, 0, 3, 4}, 2, 2);
        assertArrayEquals(new float[] {0, 0, 0.6f, 0.8f},
                NormReduceHarness.op("LpNormalization", 13).input(zeros).kiln().floats(), 1e-6f);
        KilnException e = assertThrows(KilnException.class,
                () -> NormReduceHarness.op("LpNormalization", 13).input(x).attr("p", 3L).kiln());
        assertTrue(e.getMessage().contains("p must be 1 or 2"), e.getMessage());
    }

    @Test
    void normalizedRowsHaveZeroMeanAndUnitVariance() {
        Tensor x = TestTensors.uniform(110, -3f, 7f, 3, 50);
        Tensor y = NormReduceHarness.op("LayerNormalization", 17).input(x)
                .constInput(Tensor.of(filled(50, 1f), 50)).attr("epsilon", 0f).kiln();
        for (int r = 0; r < 3; r++) {
            double s = 0, q = 0;
            for (int j = 0; j < 50; j++) {
                double v = y.getDouble(r * 50 + j);
                s += v;
                q += v * v;
            }
            assertEquals(0, s / 50, 1e-5);
            assertEquals(1, q / 50, 1e-4);
        }
        assertNull(null);
    }

    private static float[] filled(int n, float v) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, v);
        return f;
    }
}
