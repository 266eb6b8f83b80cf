package dev.kiln.core.examples;

import dev.kiln.core.io.TensorFiles;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders text lines into the input of PP-OCR's text-direction classifier (the bundled example):
 * dark text on a light background, upright or turned 180 degrees, resized to height 48 keeping the
 * aspect ratio (at most 192 wide), normalized as PaddleOCR does ((pixel/255 - 0.5) / 0.5, BGR,
 * NCHW) and padded on the right with zeros. Used to make the example's sample inputs:
 * {@code java -cp kiln.jar dev.kiln.core.examples.TextLineSamples OUT_DIR}.
 */
public final class TextLineSamples {
    public static final int HEIGHT = 48;
    public static final int MAX_WIDTH = 192;

    private static final List<String> LINES = List.of("Kiln converts models", "hello world 2026", "EDGE INFERENCE");
    /** Lines for calibration images (different from the evaluation samples above). */
    private static final List<String> CALIBRATION_LINES = List.of("quantize to int8", "The quick brown fox",
            "Calibration data", "ONNX Runtime 1.24", "text direction", "48 x 192 pixels", "Horizon configs",
            "per channel weights", "KL divergence", "nv12 input", "Model Convert", "cosine similarity");

    private TextLineSamples() {
    }

    public static void main(String[] args) throws java.io.IOException {
        System.setProperty("java.awt.headless", "true");
        if (args.length > 1 && args[0].equals("--images")) {
            Path dir = Path.of(args[1]);
            java.nio.file.Files.createDirectories(dir);
            int k = 0;
            for (String line : CALIBRATION_LINES) {
                for (boolean flip : new boolean[] {false, true}) {
                    javax.imageio.ImageIO.write(image(line, flip), "png",
                            dir.resolve(String.format(java.util.Locale.ROOT, "line_%02d.png", k++)).toFile());
                }
            }
            System.out.println("wrote " + k + " images to " + dir);
            return;
        }
        Path out = Path.of(args.length > 0 ? args[0] : "samples");
        for (String line : LINES) {
            String base = line.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
            TensorFiles.writeNpy(out.resolve(base + "_0deg.npy"), render(line, false));
            TensorFiles.writeNpy(out.resolve(base + "_180deg.npy"), render(line, true));
        }
        System.out.println("wrote " + 2 * LINES.size() + " samples to " + out);
    }

    /**
     * The line as the 48 x 192 image the classifier sees, before normalization: the text resized
     * to height 48, padded on the right with mid-gray (normalized value 0).
     */
    public static BufferedImage image(String text, boolean upsideDown) {
        Tensor t = render(text, upsideDown);
        float[] f = t.floats();
        int plane = HEIGHT * MAX_WIDTH;
        BufferedImage img = new BufferedImage(MAX_WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < MAX_WIDTH; x++) {
                int b = pixel(f[y * MAX_WIDTH + x]);
                int g = pixel(f[plane + y * MAX_WIDTH + x]);
                int r = pixel(f[2 * plane + y * MAX_WIDTH + x]);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private static int pixel(float normalized) {
        return Math.max(0, Math.min(255, Math.round((normalized * 0.5f + 0.5f) * 255f)));
    }

    /** The classifier input [1, 3, 48, 192] for one line of text. */
    public static Tensor render(String text, boolean upsideDown) {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 30);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        FontMetrics fm = probe.createGraphics().getFontMetrics(font);
        int w = fm.stringWidth(text) + 12;
        int h = fm.getHeight() + 8;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(235, 232, 225));
        g.fillRect(0, 0, w, h);
        if (upsideDown) {
            g.setTransform(AffineTransform.getRotateInstance(Math.PI, w / 2.0, h / 2.0));
        }
        g.setColor(new Color(30, 30, 40));
        g.setFont(font);
        g.drawString(text, 6, 4 + fm.getAscent());
        g.dispose();
        int rw = Math.min(MAX_WIDTH, (int) Math.ceil(HEIGHT * (double) w / h));
        BufferedImage resized = new BufferedImage(rw, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D rg = resized.createGraphics();
        rg.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        rg.drawImage(img, 0, 0, rw, HEIGHT, null);
        rg.dispose();
        Tensor t = Tensor.allocate(DType.FLOAT, 1, 3, HEIGHT, MAX_WIDTH);
        float[] f = t.floats();
        int plane = HEIGHT * MAX_WIDTH;
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < rw; x++) {
                int rgb = resized.getRGB(x, y);
                int[] bgr = {rgb & 0xff, (rgb >> 8) & 0xff, (rgb >> 16) & 0xff};
                for (int c = 0; c < 3; c++) {
                    f[c * plane + y * MAX_WIDTH + x] = (bgr[c] / 255f - 0.5f) / 0.5f;
                }
            }
        }
        return t;
    }
}
