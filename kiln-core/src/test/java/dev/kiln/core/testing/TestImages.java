package dev.kiln.core.testing;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Decodes photos into model inputs for tests (javax.imageio; bilinear resize to the model's size). */
public final class TestImages {
    private TestImages() {
    }

    /** RGB image resized to width x height as NCHW float32, each value (pixel - mean) / std. */
    public static Tensor rgbNchw(Path file, int width, int height, float mean, float std) throws IOException {
        Tensor rgb = rgbBytes(file, width, height);
        Tensor t = Tensor.allocate(DType.FLOAT, 1, 3, height, width);
        float[] f = t.floats();
        int plane = width * height;
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                f[c * plane + i] = ((float) rgb.getDouble(i * 3 + c) - mean) / std;
            }
        }
        return t;
    }

    /** RGB image resized (bilinear) to width x height as uint8 H x W x 3, the way a decoder hands it over. */
    public static Tensor rgbBytes(Path file, int width, int height) throws IOException {
        BufferedImage src = ImageIO.read(file.toFile());
        if (src == null) {
            throw new IOException(file + " is not an image javax.imageio can read");
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, width, height, null);
        g.dispose();
        byte[] b = new byte[height * width * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = img.getRGB(x, y);
                int at = (y * width + x) * 3;
                b[at] = (byte) (rgb >> 16);
                b[at + 1] = (byte) (rgb >> 8);
                b[at + 2] = (byte) rgb;
            }
        }
        return Tensor.wrap(DType.UINT8, new int[] {height, width, 3}, b);
    }
}
