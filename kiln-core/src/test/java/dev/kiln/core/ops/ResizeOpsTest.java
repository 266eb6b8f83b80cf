package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.kiln.core.ops.SpatialOpsHarness.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResizeOpsTest {
    private static final String[] COORDS = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
        "tf_half_pixel_for_nn", "tf_crop_and_resize", "half_pixel_symmetric"};
    private static final String[] NEAREST = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
    private static final Tensor EMPTY = Tensor.of(new float[0], 0);

    private static Tensor ramp(int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = i + 1;
        return Tensor.of(f, shape);
    }

    /** A Resize-11+ node on x with constant roi (for tf_crop_and_resize) and scales. */
    private static SpatialOpsHarness resize(int opset, Tensor x, String mode, String coord, float... scales) {
        SpatialOpsHarness h = node("Resize", opset).attr("mode", mode).attr("coordinate_transformation_mode", coord)
                .input(x);
        if (coord.equals("tf_crop_and_resize")) {
            float[] roi = new float[2 * x.rank()];
            for (int i = 0; i < x.rank(); i++) {
                boolean resized = scales[i] != 1f;
                roi[i] = resized ? (i % 2 == 0 ? 0.2f : -0.1f) : 0f;
                roi[x.rank() + i] = resized ? (i % 2 == 0 ? 0.9f : 1.15f) : 1f;
            }
            h.constant(Tensor.of(roi, roi.length)).attr("extrapolation_value", 7.5f);
        } else {
            h.constant(EMPTY);
        }
        return h.constant(Tensor.of(scales, scales.length));
    }

    private static int opsetFor(String coord) {
        return coord.equals("half_pixel_symmetric") ? 19 : 13;
    }

    // ---- hand-computed cases ----

    @Test
    void nearestUpsampleTwiceRepeatsPixels() {
        Tensor y = resize(13, ramp(1, 1, 2, 2), "nearest", "asymmetric", 1, 1, 2, 2).runKiln()[0];
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, y.floats());
    }

    @Test
    void nearestModesDifferOnlyAtHalves() {
        // half_pixel with scale 2 on 2 pixels: coordinates -0.25, 0.25, 0.75, 1.25
        Tensor x = Tensor.of(new float[] {10, 20}, 2);
        float[][] want = {{10, 10, 20, 20}, {10, 10, 20, 20}, {10, 10, 10, 20}, {10, 20, 20, 20}};
        for (int i = 0; i < NEAREST.length; i++) {
            Tensor y = resize(13, x, "nearest", "half_pixel", 2).attr("nearest_mode", NEAREST[i]).runKiln()[0];
            assertArrayEquals(want[i], y.floats(), NEAREST[i]);
        }
        // asymmetric with scale 0.4 on 5 pixels samples 0 and exactly 2.5
        Tensor z = Tensor.of(new float[] {1, 2, 3, 4, 5}, 5);
        Tensor floor = resize(13, z, "nearest", "asymmetric", 0.4f).runKiln()[0];
        Tensor ceil = resize(13, z, "nearest", "asymmetric", 0.4f).attr("nearest_mode", "round_prefer_ceil")
                .runKiln()[0];
        assertArrayEquals(new float[] {1, 3}, floor.floats());
        assertArrayEquals(new float[] {1, 4}, ceil.floats());
    }

    @Test
    void bilinearHalfPixelHandComputed() {
        Tensor y = resize(13, Tensor.of(new float[] {0, 4}, 1, 2), "linear", "half_pixel", 1, 2).runKiln()[0];
        assertArrayEquals(new float[] {0, 1, 3, 4}, y.floats(), 1e-6f);
        Tensor a = resize(13, Tensor.of(new float[] {0, 4}, 1, 2), "linear", "align_corners", 1, 2).runKiln()[0];
        assertArrayEquals(new float[] {0, 4f / 3, 8f / 3, 4}, a.floats(), 1e-6f);
    }

    @Test
    void sameSizeReturnsInputUnchanged() {
        Tensor x = ramp(1, 1, 3, 3);
        Tensor y = resize(13, x, "linear", "tf_crop_and_resize", 1, 1, 1.2f, 1.1f).runKiln()[0];
        assertSame(x.floats(), y.floats());
    }

    @Test
    void tfCropAndResizeExtrapolates() {
        Tensor x = ramp(1, 4);
        Tensor y = node("Resize", 13).attr("mode", "linear").attr("coordinate_transformation_mode", "tf_crop_and_resize")
                .attr("extrapolation_value", -1f).input(x).constant(Tensor.of(new float[] {0, -0.5f, 1, 1}, 4))
                .constant(EMPTY).constant(Tensor.vector(1, 5)).runKiln()[0];
        // x coordinates: -1.5, -0.375, 0.75, 1.875, 3 → two outside
        assertArrayEquals(new float[] {-1, -1, 1.75f, 2.875f, 4}, y.floats(), 1e-6f);
    }

    // ---- ONNX Runtime comparisons ----

    private static final float[][] SCALES_2D = {{1, 1, 2, 2}, {1, 1, 1.7f, 2.3f}, {1, 1, 0.5f, 0.5f}, {1, 1, 0.6f, 0.8f}};

    @Test
    void nearestMatchesOrtForEveryCoordinateAndRoundingMode() throws Exception {
        Tensor x = TestTensors.normal(1, 1, 2, 5, 6);
        for (float[] sc : SCALES_2D) {
            for (String coord : COORDS) {
                for (String nm : NEAREST) {
                    resize(opsetFor(coord), x, "nearest", coord, sc).attr("nearest_mode", nm)
                            .assertMatchesOrt("nearest " + coord + " " + nm + " " + Arrays.toString(sc));
                }
            }
        }
    }

    @Test
    void linearMatchesOrtForEveryCoordinateMode() throws Exception {
        Tensor x = TestTensors.normal(2, 1, 2, 5, 6);
        for (float[] sc : SCALES_2D) {
            for (String coord : COORDS) {
                resize(opsetFor(coord), x, "linear", coord, sc).assertMatchesOrt("linear " + coord + " " + Arrays.toString(sc));
            }
        }
    }

    @Test
    void cubicMatchesOrtForEveryCoordinateModeAndCoefficient() throws Exception {
        Tensor x = TestTensors.normal(3, 1, 2, 5, 6);
        for (float[] sc : SCALES_2D) {
            for (String coord : COORDS) {
                for (int v = 0; v < 3; v++) {
                    SpatialOpsHarness h = resize(opsetFor(coord), x, "cubic", coord, sc);
                    if (v == 1) {
                        h.attr("cubic_coeff_a", -0.5f).attr("exclude_outside", 1L);
                    } else if (v == 2) {
                        h.attr("exclude_outside", 1L);
                    }
                    h.assertMatchesOrt("cubic " + coord + " variant " + v + " " + Arrays.toString(sc));
                }
            }
        }
    }

    @Test
    void otherRanksAndLayoutsMatchOrt() throws Exception {
        // 1-D nearest, 2-D bilinear/bicubic, 3-D and 5-D trilinear, NHWC bilinear
        Tensor x1 = TestTensors.normal(4, 7);
        for (float s : new float[] {2.5f, 0.6f}) {
            for (String nm : NEAREST) {
                resize(13, x1, "nearest", "half_pixel", s).attr("nearest_mode", nm).assertMatchesOrt("1-D " + s + nm);
            }
        }
        Tensor x2 = TestTensors.normal(5, 4, 5);
        resize(13, x2, "linear", "half_pixel", 1.5f, 0.7f).assertMatchesOrt("2-D linear");
        resize(13, x2, "cubic", "align_corners", 2f, 1.4f).assertMatchesOrt("2-D cubic");
        Tensor x3 = TestTensors.normal(6, 3, 4, 5);
        resize(13, x3, "linear", "pytorch_half_pixel", 2f, 0.75f, 1.6f).assertMatchesOrt("3-D trilinear");
        resize(13, x3, "nearest", "asymmetric", 2f, 0.75f, 1.6f).assertMatchesOrt("3-D nearest");
        Tensor x5 = TestTensors.normal(7, 1, 2, 3, 4, 5);
        for (String coord : COORDS) {
            resize(opsetFor(coord), x5, "linear", coord, 1, 1, 1.5f, 0.5f, 2f).assertMatchesOrt("5-D trilinear " + coord);
            resize(opsetFor(coord), x5, "nearest", coord, 1, 1, 1.5f, 0.5f, 2f).assertMatchesOrt("5-D nearest " + coord);
        }
        Tensor nhwc = TestTensors.normal(8, 1, 5, 6, 3);
        for (String coord : COORDS) {
            resize(opsetFor(coord), nhwc, "linear", coord, 1, 2f, 0.7f, 1).assertMatchesOrt("NHWC linear " + coord);
        }
    }

    @Test
    void oneDimensionalLinearAndCubicMatchOrtOnARow() throws Exception {
        // ONNX Runtime interpolates 2-D and up only: compare a 1-D resize with the same row as [1, n]
        Tensor row = TestTensors.normal(20, 1, 9);
        Tensor flat = row.reshape(9);
        for (String mode : new String[] {"linear", "cubic"}) {
            for (String coord : COORDS) {
                if (coord.equals("tf_crop_and_resize")) {
                    continue; // the helper's roi differs between the two ranks
                }
                for (float s : new float[] {2.3f, 0.45f}) {
                    Tensor want = resize(opsetFor(coord), row, mode, coord, 1, s).runOrt()[0];
                    Tensor got = resize(opsetFor(coord), flat, mode, coord, s).runKiln()[0];
                    SpatialOpsHarness.assertMatches("1-D " + mode + " " + coord + " " + s,
                            want.reshape(want.size()), got);
                }
            }
        }
    }

    @Test
    void sizesAxesAndAspectPolicyMatchOrt() throws Exception {
        Tensor x = TestTensors.normal(9, 1, 2, 6, 9);
        for (String mode : new String[] {"nearest", "linear", "cubic"}) {
            node("Resize", 13).attr("mode", mode).input(x).constant(EMPTY).constant(EMPTY)
                    .constant(Tensor.vector(1, 2, 10, 4)).assertMatchesOrt("sizes " + mode);
            for (String policy : new String[] {"stretch", "not_larger", "not_smaller"}) {
                node("Resize", 18).attr("mode", mode).attr("keep_aspect_ratio_policy", policy).ints("axes", 2, 3)
                        .input(x).omitted().omitted().constant(Tensor.vector(10, 4)).assertMatchesOrt("sizes " + mode
                                + " " + policy);
            }
            node("Resize", 18).attr("mode", mode).ints("axes", 3, 2).input(x).omitted()
                    .constant(Tensor.of(new float[] {0.5f, 1.5f}, 2)).assertMatchesOrt("axes scales " + mode);
        }
        node("Resize", 18).attr("mode", "linear").attr("coordinate_transformation_mode", "tf_crop_and_resize")
                .ints("axes", 3, 2).input(x).constant(Tensor.of(new float[] {0.1f, 0.2f, 0.8f, 0.7f}, 4)).omitted()
                .constant(Tensor.vector(5, 7)).assertMatchesOrt("axes roi");
        // scales and sizes fed at run time rather than known in advance
        node("Resize", 13).attr("mode", "linear").input(x).constant(EMPTY).input(Tensor.of(new float[] {1, 1, 1.5f, 0.5f}, 4))
                .assertMatchesOrt("runtime scales");
        node("Resize", 11).attr("mode", "nearest").input(x).constant(EMPTY).constant(EMPTY)
                .input(Tensor.vector(1, 2, 3, 13)).assertMatchesOrt("runtime sizes");
    }

    @Test
    void antialiasMatchesOrt() throws Exception {
        Tensor x = TestTensors.normal(10, 1, 2, 12, 13);
        float[][] scales = {{1, 1, 0.5f, 0.5f}, {1, 1, 0.3f, 0.7f}, {1, 1, 0.25f, 1.5f}, {1, 1, 2f, 1.7f}};
        for (float[] sc : scales) {
            for (String mode : new String[] {"linear", "cubic"}) {
                for (String coord : new String[] {"half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel"}) {
                    for (long exclude = 0; exclude <= 1; exclude++) {
                        resize(18, x, mode, coord, sc).attr("antialias", 1L).attr("exclude_outside", exclude)
                                .assertMatchesOrt("antialias " + mode + " " + coord + " exclude " + exclude + " "
                                        + Arrays.toString(sc));
                    }
                }
            }
        }
        Tensor u8 = TestTensors.integers(11, DType.UINT8, 0, 255, 1, 2, 12, 13);
        for (String mode : new String[] {"linear", "cubic"}) {
            resize(18, u8, mode, "half_pixel", 1, 1, 0.4f, 0.6f).attr("antialias", 1L).assertMatchesOrt("antialias uint8 " + mode);
        }
        Tensor i32 = TestTensors.integers(12, DType.INT32, -1000, 1000, 1, 2, 12, 13);
        resize(18, i32, "linear", "half_pixel", 1, 1, 0.4f, 0.6f).attr("antialias", 1L).assertMatchesOrt("antialias int32");
    }

    @Test
    void integerTypesMatchOrt() throws Exception {
        for (DType t : new DType[] {DType.UINT8, DType.INT8, DType.INT32}) {
            Tensor x = TestTensors.integers(13, t, t == DType.UINT8 ? 0 : -100, 100, 1, 2, 5, 6);
            for (float[] sc : SCALES_2D) {
                resize(13, x, "nearest", "half_pixel", sc).assertMatchesOrt("nearest " + t + Arrays.toString(sc));
                resize(13, x, "linear", "half_pixel", sc).assertMatchesOrt("linear " + t + Arrays.toString(sc));
            }
            resize(13, x, "nearest", "tf_crop_and_resize", 1, 1, 1.5f, 2f).assertMatchesOrt("extrapolated " + t);
        }
        Tensor i64 = TestTensors.integers(14, DType.INT64, -(1L << 60), 1L << 60, 1, 1, 3, 3);
        Tensor y = resize(13, i64, "nearest", "asymmetric", 1, 1, 2, 2).runKiln()[0];
        assertEquals(i64.getLong(4), y.getLong(2 * 6 + 2), "int64 nearest copies exactly");
    }

    @Test
    void floatTypesMatchOrtFloat32() throws Exception {
        Tensor f = TestTensors.normal(15, 1, 2, 5, 6);
        for (DType t : new DType[] {DType.DOUBLE, DType.FLOAT16, DType.BFLOAT16}) {
            Tensor x = f.castTo(t);
            for (String mode : new String[] {"nearest", "linear", "cubic"}) {
                Tensor got = resize(13, x, mode, "half_pixel", 1, 1, 1.7f, 0.6f).runKiln()[0];
                Tensor want = resize(13, x.castTo(DType.FLOAT), mode, "half_pixel", 1, 1, 1.7f, 0.6f).runOrt()[0];
                assertEquals(t, got.dtype());
                double tol = t == DType.DOUBLE ? 1e-5 : t == DType.FLOAT16 ? 2e-3 : 1.6e-2;
                assertNull(new Tolerance(tol, tol).mismatch(want, got.castTo(DType.FLOAT)), t + " " + mode);
            }
        }
    }

    @Test
    void resize10AndUpsampleMatchOrt() throws Exception {
        Tensor x = TestTensors.normal(16, 1, 2, 4, 5);
        float[][] up = {{1, 1, 2, 2}, {1, 1, 1.5f, 2.5f}, {1, 1, 3, 1}};
        for (float[] sc : up) {
            for (String mode : new String[] {"nearest", "linear"}) {
                String l = mode + " " + Arrays.toString(sc);
                node("Resize", 10).attr("mode", mode).input(x).constant(Tensor.of(sc, 4)).assertMatchesOrt("Resize-10 " + l);
                node("Upsample", 9).attr("mode", mode).input(x).constant(Tensor.of(sc, 4)).assertMatchesOrt("Upsample-9 " + l);
                node("Upsample", 7).attr("mode", mode).attrFloats("scales", sc).input(x).assertMatchesOrt("Upsample-7 " + l);
            }
        }
        node("Resize", 10).attr("mode", "nearest").input(x).constant(Tensor.of(new float[] {1, 1, 0.5f, 0.6f}, 4))
                .assertMatchesOrt("Resize-10 downscale");
        Tensor u8 = TestTensors.integers(17, DType.UINT8, 0, 255, 1, 2, 4, 5);
        node("Upsample", 9).attr("mode", "nearest").input(u8).constant(Tensor.of(new float[] {1, 1, 2, 3}, 4))
                .assertMatchesOrt("Upsample-9 uint8");
    }

    @Test
    void cnnSizedResizesMatchOrt() throws Exception {
        Tensor x = TestTensors.normal(18, 1, 64, 52, 52);
        resize(13, x, "nearest", "asymmetric", 1, 1, 2, 2).attr("nearest_mode", "floor").assertMatchesOrt("2x nearest");
        resize(13, x, "linear", "half_pixel", 1, 1, 2, 2).assertMatchesOrt("2x bilinear");
        resize(13, x, "linear", "align_corners", 1, 1, 2, 2).assertMatchesOrt("2x bilinear align_corners");
    }

    // ---- inference and errors ----

    @Test
    void inferenceUsesConstantScalesAndSizes() {
        Model m = resize(13, ramp(1, 3, 10, 7), "linear", "half_pixel", 1, 1, 1.5f, 0.5f).model();
        m.graph().inputs().get(0).setType(new TensorType(DType.FLOAT, new Dim[] {Dim.symbol("N"), Dim.of(3), Dim.of(10),
            Dim.UNKNOWN}));
        TypeInference.run(m);
        TensorType y = m.graph().outputs().get(0).type();
        assertEquals("N", y.dim(0).param());
        assertEquals(3, y.dim(1).value());
        assertEquals(15, y.dim(2).value());
        assertTrue(!y.dim(3).isKnown());
        Model s = node("Resize", 18).ints("axes", 2).attr("mode", "nearest").input(ramp(2, 3, 10, 7)).omitted().omitted()
                .constant(Tensor.vector(4)).model();
        TypeInference.run(s);
        assertArrayEquals(new int[] {2, 3, 4, 7}, s.graph().outputs().get(0).type().shape());
    }

    @Test
    void badInputsAreReported() {
        KilnException e = assertThrows(KilnException.class, () -> resize(13, ramp(1, 1, 2, 2), "bilinear", "half_pixel",
                1, 1, 2, 2).runKiln());
        assertTrue(e.getMessage().contains("mode must be nearest, linear or cubic"), e.getMessage());
        e = assertThrows(KilnException.class, () -> resize(13, ramp(1, 1, 2, 2), "nearest", "half_pixels", 1, 1, 2, 2)
                .runKiln());
        assertTrue(e.getMessage().contains("coordinate_transformation_mode 'half_pixels'"), e.getMessage());
        e = assertThrows(KilnException.class, () -> resize(13, ramp(1, 1, 2, 2), "nearest", "half_pixel", 2, 2).runKiln());
        assertTrue(e.getMessage().contains("scales has 2 values, expected 4"), e.getMessage());
        e = assertThrows(KilnException.class, () -> resize(13, ramp(1, 1, 2, 2), "nearest", "half_pixel", 1, 1, 0, 2)
                .runKiln());
        assertTrue(e.getMessage().contains("scales must be positive"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Upsample", 9).input(ramp(1, 1, 2, 2))
                .constant(Tensor.of(new float[] {1, 1, 0.5f, 2}, 4)).runKiln());
        assertTrue(e.getMessage().contains("scales must be at least 1"), e.getMessage());
        e = assertThrows(KilnException.class, () -> node("Resize", 13).input(ramp(1, 1, 2, 2)).constant(EMPTY)
                .constant(Tensor.of(new float[] {1, 1, 2, 2}, 4)).constant(Tensor.vector(1, 1, 4, 4)).runKiln());
        assertTrue(e.getMessage().contains("only one of scales and sizes"), e.getMessage());
        e = assertThrows(KilnException.class, () -> resize(13, Tensor.ofBools(new boolean[] {true, false}, 1, 2), "linear",
                "half_pixel", 1, 2).runKiln());
        assertTrue(e.getMessage().contains("needs a numeric tensor"), e.getMessage());
    }

    @Test
    void parallelRunEqualsSerialRun() {
        Tensor x = TestTensors.normal(19, 2, 8, 17, 19);
        for (String mode : new String[] {"nearest", "linear", "cubic"}) {
            SpatialOpsHarness h = resize(13, x, mode, "half_pixel", 1, 1, 1.9f, 0.7f);
            assertTrue(h.runKiln(1)[0].sameAs(h.runKiln(4)[0]), mode);
        }
    }
}
