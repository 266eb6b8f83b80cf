package dev.kiln.core.calib;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.CalibrationParameters.DataType;
import dev.kiln.core.config.CalibrationParameters.Source;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageSamplesTest {
    @TempDir
    Path tmp;

    /** 3 x 2 pixels: red, green, blue / white, black, (10, 20, 30). */
    private static final int[] PIXELS = {0xff0000, 0x00ff00, 0x0000ff, 0xffffff, 0x000000, 0x0a141e};

    private Path colourImage(String format) throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 3, 2, PIXELS, 0, 3);
        Path f = tmp.resolve("img." + format);
        ImageIO.write(img, format, f.toFile());
        return f;
    }

    private static Tensor decode(Path f, InputType type, Layout layout, DataType dt, int... shape) {
        CalibrationInput in = new CalibrationInput("data", shape, type, layout, new Source(f.getParent(), dt));
        return SampleFiles.read(f, in, true);
    }

    @Test
    void rgbAndBgrInBothLayouts() throws IOException {
        for (String format : new String[] {"png", "bmp"}) {
            Path f = colourImage(format);
            Tensor rgb = decode(f, InputType.RGB, Layout.NCHW, DataType.UINT8, 1, 3, 2, 3);
            assertEquals(DType.UINT8, rgb.dtype());
            byte[] r = rgb.bytes();
            assertArrayEquals(new byte[] {(byte) 255, 0, 0, (byte) 255, 0, 10}, java.util.Arrays.copyOfRange(r, 0, 6));
            assertArrayEquals(new byte[] {0, (byte) 255, 0, (byte) 255, 0, 20}, java.util.Arrays.copyOfRange(r, 6, 12));
            assertArrayEquals(new byte[] {0, 0, (byte) 255, (byte) 255, 0, 30}, java.util.Arrays.copyOfRange(r, 12, 18));
            Tensor bgr = decode(f, InputType.BGR, Layout.NHWC, DataType.FLOAT32, 1, 2, 3, 3);
            assertEquals(DType.FLOAT, bgr.dtype());
            // pixel (1, 2) = (10, 20, 30) in BGR order at the end
            float[] b = bgr.floats();
            assertArrayEquals(new float[] {30, 20, 10}, java.util.Arrays.copyOfRange(b, 15, 18));
            assertArrayEquals(new float[] {0, 0, 255}, java.util.Arrays.copyOfRange(b, 0, 3));
        }
    }

    @Test
    void grayAndYuv444UseBt601() throws IOException {
        Path f = colourImage("png");
        Tensor gray = decode(f, InputType.GRAY, Layout.NCHW, DataType.FLOAT32, 1, 1, 2, 3);
        float[] g = gray.floats();
        assertEquals(0.299f * 255, g[0], 1e-3);
        assertEquals(0.587f * 255, g[1], 1e-3);
        assertEquals(255f, g[3], 1e-3);
        Tensor yuv = decode(f, InputType.YUV444, Layout.NCHW, DataType.FLOAT32, 1, 3, 2, 3);
        float[] y = yuv.floats();
        // red: Y = 76.245, U = 128 - 43.028, V = 255.5; white: 255, 128, 128
        assertEquals(76.245f, y[0], 1e-3);
        assertEquals(84.972f, y[6], 1e-3);
        assertEquals(255.5f, y[12], 1e-3);
        assertEquals(255f, y[3], 1e-3);
        assertEquals(128f, y[9], 1e-3);
        assertEquals(128f, y[15], 1e-3);
        Tensor yuv8 = decode(f, InputType.YUV444, Layout.NCHW, DataType.UINT8, 1, 3, 2, 3);
        assertEquals(76, yuv8.getLong(0));
        assertEquals(255, yuv8.getLong(12));
    }

    @Test
    void grayImagesAreReadWithoutGammaConversion() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 0, 0, 50);
        img.getRaster().setSample(1, 0, 0, 200);
        Path f = tmp.resolve("g.png");
        ImageIO.write(img, "png", f.toFile());
        Tensor t = decode(f, InputType.GRAY, Layout.NCHW, DataType.UINT8, 1, 1, 1, 2);
        assertEquals(50, t.getLong(0));
        assertEquals(200, t.getLong(1));
        Tensor rgb = decode(f, InputType.RGB, Layout.NCHW, DataType.UINT8, 1, 3, 1, 2);
        assertArrayEquals(new byte[] {50, (byte) 200, 50, (byte) 200, 50, (byte) 200}, rgb.bytes());
    }

    @Test
    void resizeIsBilinearWithPixelCentresAligned() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 0, 0, 0);
        img.getRaster().setSample(1, 0, 0, 100);
        Path f = tmp.resolve("g.png");
        ImageIO.write(img, "png", f.toFile());
        Tensor t = decode(f, InputType.GRAY, Layout.NCHW, DataType.FLOAT32, 1, 1, 2, 4);
        assertArrayEquals(new float[] {0, 25, 75, 100, 0, 25, 75, 100}, t.floats(), 1e-4f);
        Tensor down = decode(colourImage("png"), InputType.RGB, Layout.NCHW, DataType.FLOAT32, 1, 3, 1, 1);
        // 3x2 -> 1x1 samples source (1, 0.5): the mean of the two middle pixels green and black
        assertArrayEquals(new float[] {0, 127.5f, 0}, down.floats(), 1e-4f);
    }

    @Test
    void jpegDecodes() throws IOException {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 256; i++) {
            img.setRGB(i % 16, i / 16, 0x808080);
        }
        Path f = tmp.resolve("p.jpg");
        ImageIO.write(img, "jpg", f.toFile());
        Tensor t = decode(f, InputType.RGB, Layout.NCHW, DataType.UINT8, 1, 3, 8, 8);
        for (int i = 0; i < t.size(); i++) {
            assertEquals(128, t.getLong(i), 2);
        }
    }

    @Test
    void decodingErrorsNameTheFileAndTheInput() throws IOException {
        Path f = Files.write(tmp.resolve("notes.txt"), "hello".getBytes());
        assertEquals("cannot decode calibration image " + f + ": not a JPEG, PNG or BMP file",
                assertThrows(KilnException.class, () -> decode(f, InputType.RGB, Layout.NCHW, DataType.UINT8, 1, 3, 2, 2))
                        .getMessage());
        Path png = colourImage("png");
        assertEquals("input 'data' of shape 1x3x2x2 in NCHW has 3 channels but input_type_train gray images have 1",
                assertThrows(KilnException.class, () -> decode(png, InputType.GRAY, Layout.NCHW, DataType.UINT8, 1, 3, 2, 2))
                        .getMessage());
        assertEquals("input 'data' has shape 3x2x2; images can only be decoded into a 4-D input with batch 1",
                assertThrows(KilnException.class, () -> decode(png, InputType.RGB, Layout.NCHW, DataType.UINT8, 3, 2, 2))
                        .getMessage());
    }

    @Test
    void featuremapInputsReadRawFilesEvenWithPreprocessOn() throws IOException {
        Path f = Files.write(tmp.resolve("f.png"), new byte[] {1, 2});
        CalibrationInput in = new CalibrationInput("f", new int[] {2}, InputType.FEATUREMAP, Layout.NCHW,
                new Source(tmp, DataType.UINT8));
        assertArrayEquals(new byte[] {1, 2}, SampleFiles.read(f, in, true).bytes());
    }

    @Test
    void directoryOfImages() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("imgs"));
        BufferedImage img = new BufferedImage(5, 7, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(img, "png", d.resolve("a.png").toFile());
        ImageIO.write(img, "bmp", d.resolve("b.bmp").toFile());
        CalibrationData data = CalibrationData.open(List.of(new CalibrationInput("x", new int[] {1, 4, 4, 3},
                InputType.BGR, Layout.NHWC, new Source(d, DataType.FLOAT32))), true);
        assertEquals(2, data.size());
        assertArrayEquals(new int[] {1, 4, 4, 3}, data.get(1).get("x").shape());
    }
}
