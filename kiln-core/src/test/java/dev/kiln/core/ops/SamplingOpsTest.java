package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.kiln.core.ops.SpatialOpsHarness.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GridSample and RoiAlign. */
class SamplingOpsTest {
    private static Tensor ramp(int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = i + 1;
        return Tensor.of(f, shape);
    }

    /** A grid mixing random points (some outside [-1, 1]) with points on pixel centres and edges. */
    private static Tensor grid(long seed, int... shape) {
        Tensor g = TestTensors.uniform(seed, -1.3f, 1.3f, shape);
        float[] f = g.floats();
        float[] special = {-1, 1, 0, -0.5f, 0.5f, 0.25f, -0.75f};
        for (int i = 0; i < f.length; i += 5) {
            f[i] = special[(i / 5) % special.length];
        }
        return g;
    }

    @Test
    void gridSampleHandComputed() {
        Tensor x = ramp(1, 1, 2, 2);
        // corners with align_corners, and the centre
        Tensor g = Tensor.of(new float[] {-1, -1, 1, -1, -1, 1, 1, 1, 0, 0}, 1, 1, 5, 2);
        Tensor y = node("GridSample", 16).attr("align_corners", 1L).input(x).input(g).runKiln()[0];
        assertArrayEquals(new float[] {1, 2, 3, 4, 2.5f}, y.floats(), 1e-6f);
        // without align_corners, (-1, -1) is the outer corner: a quarter of pixel 1 with zero padding
        Tensor z = node("GridSample", 16).input(x).input(Tensor.of(new float[] {-1, -1}, 1, 1, 1, 2)).runKiln()[0];
        assertArrayEquals(new float[] {0.25f}, z.floats(), 1e-6f);
    }

    @Test
    void gridSample2dMatchesOrt() throws Exception {
        Tensor x = TestTensors.normal(1, 2, 3, 5, 6);
        Tensor g = grid(2, 2, 4, 7, 2);
        String[][] modes = {{"bilinear", "nearest", "bicubic"}, {"linear", "nearest", "cubic"}};
        int[] opsets = {16, 20};
        for (int v = 0; v < 2; v++) {
            for (String mode : modes[v]) {
                for (String pad : new String[] {"zeros", "border", "reflection"}) {
                    for (long align = 0; align <= 1; align++) {
                        node("GridSample", opsets[v]).attr("mode", mode).attr("padding_mode", pad)
                                .attr("align_corners", align).input(x).input(g)
                                .assertMatchesOrt("GridSample-" + opsets[v] + " " + mode + " " + pad + " align " + align);
                    }
                }
            }
        }
    }

    @Test
    void gridSample3dAndDoubleMatchOrt() throws Exception {
        Tensor x = TestTensors.normal(3, 1, 2, 3, 4, 5);
        Tensor g = grid(4, 1, 2, 3, 4, 3);
        for (String mode : new String[] {"linear", "nearest"}) {
            for (String pad : new String[] {"zeros", "border", "reflection"}) {
                for (long align = 0; align <= 1; align++) {
                    node("GridSample", 20).attr("mode", mode).attr("padding_mode", pad).attr("align_corners", align)
                            .input(x).input(g).assertMatchesOrt("3-D " + mode + " " + pad + " align " + align);
                }
            }
        }
        Tensor xd = TestTensors.normal(5, 1, 2, 4, 5).castTo(DType.DOUBLE);
        Tensor gd = grid(6, 1, 3, 3, 2).castTo(DType.DOUBLE);
        for (String mode : new String[] {"linear", "nearest", "cubic"}) {
            node("GridSample", 20).attr("mode", mode).attr("padding_mode", "border").input(xd).input(gd)
                    .assertMatchesOrt("double " + mode);
        }
    }

    @Test
    void gridSampleRejectsCubic3dAndBadModes() {
        KilnException e = assertThrows(KilnException.class, () -> node("GridSample", 20).attr("mode", "cubic")
                .input(TestTensors.normal(7, 1, 1, 2, 2, 2)).input(grid(8, 1, 1, 1, 1, 3)).runKiln());
        assertTrue(e.getMessage().contains("cubic mode needs a 4-D input"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("GridSample", 16).attr("padding_mode", "wrap")
                .input(ramp(1, 1, 2, 2)).input(grid(9, 1, 1, 1, 2)).runKiln());
        assertTrue(e.getMessage().contains("padding_mode must be zeros, border or reflection"), e.getMessage());
    }

    private static Tensor rois() {
        return Tensor.of(new float[] {
            0, 0, 9, 9,
            1.3f, 2.1f, 7.7f, 5.2f,
            -2, -1, 4, 3,
            6, 5, 14, 11,
            3, 3, 3.4f, 3.2f}, 5, 4);
    }

    @Test
    void roiAlignMatchesOrt() throws Exception {
        Tensor x = TestTensors.normal(10, 2, 3, 10, 11);
        Tensor batch = Tensor.ofLongs(new long[] {0, 1, 1, 0, 1}, 5);
        for (String mode : new String[] {"avg", "max"}) {
            for (String cm : new String[] {"half_pixel", "output_half_pixel"}) {
                for (long ratio : new long[] {0, 2}) {
                    for (float scale : new float[] {1f, 0.5f}) {
                        node("RoiAlign", 16).attr("mode", mode).attr("coordinate_transformation_mode", cm)
                                .attr("sampling_ratio", ratio).attr("spatial_scale", scale)
                                .attr("output_height", 3L).attr("output_width", 4L)
                                .input(x).input(rois()).input(batch)
                                .assertMatchesOrt("RoiAlign " + mode + " " + cm + " ratio " + ratio + " scale " + scale);
                    }
                }
            }
            node("RoiAlign", 10).attr("mode", mode).attr("output_height", 2L).attr("output_width", 2L)
                    .input(x).input(rois()).input(batch).assertMatchesOrt("RoiAlign-10 " + mode);
        }
        node("RoiAlign", 16).attr("output_height", 2L).attr("output_width", 3L).input(x.castTo(DType.DOUBLE))
                .input(rois().castTo(DType.DOUBLE)).input(batch).assertMatchesOrt("RoiAlign double");
    }

    @Test
    void roiAlignRejectsBadBatchIndex() {
        KilnException e = assertThrows(KilnException.class, () -> node("RoiAlign", 16).input(ramp(1, 1, 4, 4))
                .input(Tensor.of(new float[] {0, 0, 2, 2}, 1, 4)).input(Tensor.ofLongs(new long[] {1}, 1)).runKiln());
        assertTrue(e.getMessage().contains("batch index 1 of roi 0 is outside [0, 1)"), e.getMessage());
    }
}
