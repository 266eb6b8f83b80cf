package dev.kiln.core.ops;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NonMaxSuppressionTest {
    /** Random boxes in either format: overlapping clusters so that suppression happens. */
    private static Tensor boxes(long seed, int batches, int n, boolean center) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] b = new float[batches * n * 4];
        for (int i = 0; i < batches * n; i++) {
            float cx = (float) (r.nextInt(4) * 0.3 + r.nextDouble() * 0.1);
            float cy = (float) (r.nextInt(4) * 0.3 + r.nextDouble() * 0.1);
            float w = (float) (0.1 + r.nextDouble() * 0.2), h = (float) (0.1 + r.nextDouble() * 0.2);
            if (center) {
                b[i * 4] = cx;
                b[i * 4 + 1] = cy;
                b[i * 4 + 2] = w;
                b[i * 4 + 3] = h;
            } else {
                // [y1, x1, y2, x2], corners sometimes flipped
                boolean flip = r.nextBoolean();
                b[i * 4] = flip ? cy + h / 2 : cy - h / 2;
                b[i * 4 + 1] = cx - w / 2;
                b[i * 4 + 2] = flip ? cy - h / 2 : cy + h / 2;
                b[i * 4 + 3] = cx + w / 2;
            }
        }
        return Tensor.of(b, batches, n, 4);
    }

    private static Tensor scores(long seed, int batches, int classes, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] s = new float[batches * classes * n];
        for (int i = 0; i < s.length; i++) s[i] = (float) r.nextDouble();
        return Tensor.of(s, batches, classes, n);
    }

    @Test
    void matchesOnnxRuntimeOverThresholdsAndFormats() {
        for (long center : new long[] {0, 1}) {
            Tensor b = boxes(1 + center, 2, 40, center == 1);
            Tensor s = scores(3, 2, 3, 40);
            for (long max : new long[] {0, 1, 5, 100}) {
                for (float iou : new float[] {0f, 0.3f, 0.7f, 1f}) {
                    NormReduceHarness.op("NonMaxSuppression", 11).input(b).input(s)
                            .constInput(Tensor.vector(max)).constInput(Tensor.of(new float[] {iou}, 1))
                            .constInput(Tensor.of(new float[] {0.2f}, 1)).attr("center_point_box", center)
                            .assertMatchesOrt();
                }
            }
            // without a score threshold, and with only the first optional input
            NormReduceHarness.op("NonMaxSuppression", 10).input(b).input(s).constInput(Tensor.vector(3))
                    .constInput(Tensor.scalar(0.5f)).attr("center_point_box", center).assertMatchesOrt();
            NormReduceHarness.op("NonMaxSuppression", 11).input(b).input(s).constInput(Tensor.vector(3))
                    .attr("center_point_box", center).assertMatchesOrt();
        }
    }

    @Test
    void noMaxOutputSelectsNothing() {
        Tensor out = NormReduceHarness.op("NonMaxSuppression", 11).input(boxes(5, 1, 6, false))
                .input(scores(6, 1, 2, 6)).kiln();
        assertEquals(DType.INT64, out.dtype());
        assertArrayEquals(new int[] {0, 3}, out.shape());
    }

    @Test
    void handComputedSuppression() {
        // box 1 overlaps box 0 with IoU 0.81 > 0.5; box 2 is apart
        Tensor b = Tensor.of(new float[] {0, 0, 1, 1, 0, 0, 0.9f, 0.9f, 2, 2, 3, 3}, 1, 3, 4);
        Tensor s = Tensor.of(new float[] {0.9f, 0.95f, 0.5f}, 1, 1, 3);
        Tensor out = NormReduceHarness.op("NonMaxSuppression", 11).input(b).input(s).constInput(Tensor.vector(10))
                .constInput(Tensor.scalar(0.5f)).kiln();
        assertArrayEquals(new long[] {0, 0, 1, 0, 0, 2}, out.longs());
    }
}
