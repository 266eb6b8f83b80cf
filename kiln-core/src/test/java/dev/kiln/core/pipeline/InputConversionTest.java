package dev.kiln.core.pipeline;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.InputParameters.ColorRange;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.core.config.InputParameters.NormType;
import dev.kiln.core.testing.TestData;
import dev.kiln.core.testing.TestImages;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static dev.kiln.core.pipeline.PreprocessFixtures.RGB_MEAN;
import static dev.kiln.core.pipeline.PreprocessFixtures.RGB_SCALE;
import static dev.kiln.core.pipeline.PreprocessFixtures.spec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputConversionTest {
    private static final double COEFF = 1e-6;

    private static InputSpec plain(InputType train, Layout layout, InputType rt) {
        return spec("x", train, layout, rt, ColorRange.REGULAR, NormType.NO_PREPROCESS, null, null, null);
    }

    private static Tensor pixels(long seed, int... shape) {
        return TestTensors.integers(seed, DType.UINT8, 0, 255, shape);
    }

    @Test
    void bt601CoefficientsAreTheStandardOnes() {
        ColorMatrices.Affine full = ColorMatrices.yuvToRgb(ColorRange.REGULAR);
        assertEquals(1.402, full.m()[0][2], COEFF);
        assertEquals(-0.344136, full.m()[1][1], COEFF);
        assertEquals(-0.714136, full.m()[1][2], COEFF);
        assertEquals(1.772, full.m()[2][1], COEFF);
        ColorMatrices.Affine video = ColorMatrices.yuvToRgb(ColorRange.BT601_VIDEO);
        assertEquals(1.164384, video.m()[0][0], COEFF);
        assertEquals(1.596027, video.m()[0][2], COEFF);
        assertEquals(-0.391762, video.m()[1][1], COEFF);
        assertEquals(-0.812968, video.m()[1][2], COEFF);
        assertEquals(2.017232, video.m()[2][1], COEFF);

        ColorMatrices.Affine toYuv = ColorMatrices.rgbToYuv(ColorRange.REGULAR);
        assertEquals(76.245, toYuv.apply(0, 255, 0, 0), COEFF);
        assertEquals(128 - 0.168736 * 255, toYuv.apply(1, 255, 0, 0), 1e-4);
        assertEquals(255.5, toYuv.apply(2, 255, 0, 0), COEFF);
        ColorMatrices.Affine toVideo = ColorMatrices.rgbToYuv(ColorRange.BT601_VIDEO);
        assertEquals(235, toVideo.apply(0, 255, 255, 255), COEFF);
        assertEquals(16, toVideo.apply(0, 0, 0, 0), COEFF);
        assertEquals(128, toVideo.apply(1, 255, 255, 255), COEFF);
        assertEquals(240, toVideo.apply(1, 0, 0, 255), COEFF);
        // grey stays grey: Y = value, chroma 128 (full range)
        assertEquals(77, full.apply(1, 77, 128, 128), COEFF);
    }

    @Test
    void forwardAndInverseCancel() {
        SplittableRandom r = new SplittableRandom(7);
        for (ColorRange range : ColorRange.values()) {
            ColorMatrices.Affine f = ColorMatrices.rgbToYuv(range);
            ColorMatrices.Affine g = ColorMatrices.yuvToRgb(range);
            for (int i = 0; i < 100; i++) {
                double[] rgb = {r.nextDouble(255), r.nextDouble(255), r.nextDouble(255)};
                double[] yuv = {f.apply(0, rgb[0], rgb[1], rgb[2]), f.apply(1, rgb[0], rgb[1], rgb[2]), f.apply(2, rgb[0], rgb[1], rgb[2])};
                for (int k = 0; k < 3; k++) {
                    assertEquals(rgb[k], g.apply(k, yuv[0], yuv[1], yuv[2]), 1e-9);
                }
            }
        }
    }

    @Test
    void sameColourSpaceIsPixelMinus128AndBackToNormalizedInput() {
        for (Layout layout : Layout.values()) {
            InputSpec s = spec("x", InputType.RGB, layout, InputType.RGB, null, NormType.DATA_MEAN_AND_SCALE,
                    RGB_MEAN, RGB_SCALE, null);
            int[] shape = layout == Layout.NCHW ? new int[] {1, 3, 4, 6} : new int[] {1, 4, 6, 3};
            Tensor sample = pixels(1, shape);
            Tensor q = InputConversion.toIntermediate(sample, s);
            assertEquals(DType.INT8, q.dtype());
            Tensor back = InputConversion.sourceModelInput(q, s);
            int axis = InputSpecs.channelAxis(layout);
            for (int i = 0; i < sample.size(); i++) {
                assertEquals(sample.getLong(i) - 128, q.getLong(i));
                int c = layout == Layout.NCHW ? i / (4 * 6) : i % 3;
                assertEquals((sample.getDouble(i) - RGB_MEAN[c]) * RGB_SCALE[c], back.getDouble(i), 1e-5, "axis " + axis);
            }
        }
    }

    @Test
    void bgrAgainstRgbReversesTheChannels() {
        InputSpec s = plain(InputType.BGR, Layout.NCHW, InputType.RGB);
        Tensor sample = pixels(2, 1, 3, 2, 2);
        Tensor q = InputConversion.toIntermediate(sample, s);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(sample.getLong((2 - c) * 4 + i) - 128, q.getLong(c * 4 + i));
            }
        }
        Tensor back = InputConversion.sourceModelInput(q, s);
        for (int i = 0; i < sample.size(); i++) {
            assertEquals(sample.getDouble(i), back.getDouble(i), 0);
        }
    }

    @Test
    void yuvRunTimeTypesRoundTripWithinRounding() {
        for (ColorRange range : ColorRange.values()) {
            for (InputType train : new InputType[] {InputType.RGB, InputType.BGR}) {
                InputSpec s = spec("x", train, Layout.NHWC, InputType.YUV444, range, NormType.NO_PREPROCESS, null, null, null);
                Tensor sample = TestTensors.integers(3, DType.UINT8, 20, 230, 1, 6, 8, 3);
                Tensor back = InputConversion.sourceModelInput(InputConversion.toIntermediate(sample, s), s);
                // YUV rounded to integers: at most 0.5 per channel through the largest row of the inverse
                double bound = range == ColorRange.REGULAR ? 0.5 * (1 + 1.772) : 0.5 * (1.164384 + 2.017232);
                for (int i = 0; i < sample.size(); i++) {
                    assertEquals(sample.getDouble(i), back.getDouble(i), bound, train + " " + range + " element " + i);
                }
            }
        }
    }

    @Test
    void nv12KeepsLumaAndAveragesChromaOverTwoByTwoBlocks() {
        InputSpec yuv = plain(InputType.RGB, Layout.NCHW, InputType.YUV444);
        InputSpec nv12 = plain(InputType.RGB, Layout.NCHW, InputType.NV12);
        Tensor sample = pixels(4, 1, 3, 4, 6);
        Tensor a = InputConversion.toIntermediate(sample, yuv);
        Tensor b = InputConversion.toIntermediate(sample, nv12);
        for (int i = 0; i < 24; i++) {
            assertEquals(a.getLong(i), b.getLong(i), "luma");
        }
        for (int c = 1; c < 3; c++) {
            int base = c * 24;
            for (int y = 0; y < 4; y += 2) {
                for (int x = 0; x < 6; x += 2) {
                    int i = base + y * 6 + x;
                    long sum = 0;
                    for (int k : new int[] {i, i + 1, i + 6, i + 7}) {
                        sum += a.getLong(k) + 128;
                        assertEquals(b.getLong(i), b.getLong(k), "chroma block");
                    }
                    assertEquals((sum + 2) / 4 - 128, b.getLong(i));
                }
            }
        }
        // a training-space YUV sample feeds yuv444 unchanged (minus 128)
        InputSpec yuvTrain = plain(InputType.YUV444, Layout.NCHW, InputType.YUV444);
        Tensor q = InputConversion.toIntermediate(sample, yuvTrain);
        for (int i = 0; i < sample.size(); i++) {
            assertEquals(sample.getLong(i) - 128, q.getLong(i));
        }
    }

    @Test
    void floatSamplesAreRoundedHalfToEvenAndClamped() {
        InputSpec s = spec("x", InputType.GRAY, Layout.NCHW, InputType.GRAY, null, NormType.NO_PREPROCESS, null, null, null);
        Tensor sample = Tensor.of(new float[] {10.5f, 11.5f, -3f, 300f, 127.4f, 0f}, 1, 1, 2, 3);
        Tensor q = InputConversion.toIntermediate(sample, s);
        assertArrayEquals(new long[] {10 - 128, 12 - 128, -128, 127, -1, -128}, q.toLongArray());
    }

    @Test
    void imagesBecomeTrainingSpaceSamplesAndIntermediateInputs() throws Exception {
        Path photo = TestData.require("images/faces/1.jpg");
        Tensor rgb = TestImages.rgbBytes(photo, 64, 48);
        InputSpec s = spec("input", InputType.RGB, Layout.NCHW, InputType.RGB, null, NormType.DATA_MEAN_AND_SCALE,
                new float[] {127f}, new float[] {1f / 128}, new int[] {1, 3, 48, 64});
        Tensor normalized = InputConversion.sourceModelInput(InputConversion.fromImage(rgb, s), s);
        Tensor expected = TestImages.rgbNchw(photo, 64, 48, 127f, 128f);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.getDouble(i), normalized.getDouble(i), 1e-6);
        }

        InputSpec gray = plain(InputType.GRAY, Layout.NHWC, InputType.GRAY);
        Tensor g = InputConversion.toTrainingSpace(rgb, gray);
        assertArrayEquals(new int[] {1, 48, 64, 1}, g.shape());
        assertEquals(Math.rint(ColorMatrices.luma(rgb.getDouble(0), rgb.getDouble(1), rgb.getDouble(2))), g.getDouble(0));

        InputSpec bgr = plain(InputType.BGR, Layout.NHWC, InputType.NV12);
        Tensor t = InputConversion.toTrainingSpace(rgb, bgr);
        assertEquals(rgb.getLong(2), t.getLong(0));
        assertEquals(rgb.getLong(0), t.getLong(2));
    }

    @Test
    void mismatchedSamplesAreReported() {
        InputSpec s = spec("input", InputType.RGB, Layout.NCHW, InputType.RGB, null, NormType.NO_PREPROCESS, null, null,
                new int[] {1, 3, 4, 4});
        String msg = assertThrows(KilnException.class,
                () -> InputConversion.toIntermediate(pixels(5, 1, 3, 4, 6), s)).getMessage();
        assertTrue(msg.contains("has shape 1x3x4x6, expected 1x3x4x4"), msg);
        msg = assertThrows(KilnException.class,
                () -> InputConversion.toIntermediate(pixels(5, 1, 4, 4, 4), s)).getMessage();
        assertTrue(msg.contains("3 channel(s) on axis 1"), msg);
        Tensor grayImage = pixels(6, 4, 4, 1);
        msg = assertThrows(KilnException.class, () -> InputConversion.fromImage(grayImage, s)).getMessage();
        assertTrue(msg.contains("a gray image cannot feed input_type_train rgb"), msg);
        msg = assertThrows(KilnException.class, () -> InputConversion.sourceModelInput(pixels(7, 1, 3, 4, 4), s)).getMessage();
        assertTrue(msg.contains("is int8, got uint8"), msg);
        InputSpec nv12 = plain(InputType.RGB, Layout.NCHW, InputType.NV12);
        msg = assertThrows(KilnException.class, () -> InputConversion.toIntermediate(pixels(8, 1, 3, 3, 4), nv12)).getMessage();
        assertTrue(msg.contains("nv12 needs an even height and width") && msg.contains("3x4"), msg);
    }

    @Test
    void featuremapsPassThroughAsFloat() {
        InputSpec s = spec("f", InputType.FEATUREMAP, null, InputType.FEATUREMAP, null, NormType.NO_PREPROCESS, null, null, null);
        Tensor t = TestTensors.normal(8, 2, 5);
        assertArrayEquals(t.floats(), InputConversion.toIntermediate(t, s).floats());
        assertArrayEquals(t.floats(), InputConversion.sourceModelInput(t, s).floats());
    }
}
