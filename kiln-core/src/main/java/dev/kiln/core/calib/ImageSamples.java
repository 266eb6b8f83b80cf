package dev.kiln.core.calib;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.CalibrationParameters.DataType;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Decodes calibration images (JPEG, PNG, BMP through javax.imageio) into samples of an image input
 * (preprocess_on): resized to the input's H x W with bilinear interpolation (pixel centres aligned,
 * as OpenCV's INTER_LINEAR without antialiasing), converted to the training colour space (rgb, bgr,
 * gray, or yuv444 by BT.601 full range) and written in the training layout. Float32 samples keep
 * the interpolated values; uint8 samples round them half to even.
 */
public final class ImageSamples {
    private ImageSamples() {
    }

    /** Decodes {@code file} into a tensor of {@code in}'s shape (rank 4, batch 1). */
    public static Tensor read(Path file, CalibrationInput in, DataType dataType) {
        int[] shape = in.shape();
        boolean nchw = in.layoutTrain() != Layout.NHWC;
        if (shape.length != 4 || shape[0] != 1) {
            throw new KilnException("input '" + in.name() + "' has shape " + CalibrationInput.shapeText(shape)
                    + "; images can only be decoded into a 4-D input with batch 1");
        }
        int c = nchw ? shape[1] : shape[3];
        int h = nchw ? shape[2] : shape[1];
        int w = nchw ? shape[3] : shape[2];
        int want = in.typeTrain().channels();
        if (c != want) {
            throw new KilnException("input '" + in.name() + "' of shape " + CalibrationInput.shapeText(shape) + " in "
                    + in.layoutTrain() + " has " + c + " channels but input_type_train " + in.typeTrain().key()
                    + " images have " + want);
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new KilnException("cannot decode calibration image " + file + ": " + e.getMessage());
        }
        if (img == null) {
            throw new KilnException("cannot decode calibration image " + file + ": not a JPEG, PNG or BMP file");
        }
        float[][] planes = resize(rgbPlanes(img), img.getWidth(), img.getHeight(), w, h);
        float[][] out = toColourSpace(planes, in.typeTrain());
        return pack(out, h, w, nchw, dataType);
    }

    /**
     * The image's R, G, B planes as floats in [0, 255]. Grayscale images are read from their raster
     * (getRGB would apply a gamma conversion to them), colour images through getRGB (sRGB).
     */
    static float[][] rgbPlanes(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] r = new float[w * h];
        float[] g = new float[w * h];
        float[] b = new float[w * h];
        Raster raster = img.getRaster();
        boolean gray = img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
        if (gray) {
            int bits = img.getColorModel().getComponentSize(0);
            int shift = Math.max(0, bits - 8);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = raster.getSample(x, y, 0) >> shift;
                    r[y * w + x] = v;
                    g[y * w + x] = v;
                    b[y * w + x] = v;
                }
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < argb.length; i++) {
                r[i] = (argb[i] >> 16) & 0xff;
                g[i] = (argb[i] >> 8) & 0xff;
                b[i] = argb[i] & 0xff;
            }
        }
        return new float[][] {r, g, b};
    }

    /** Bilinear resize of each plane from sw x sh to dw x dh, pixel centres aligned (half-pixel offsets). */
    static float[][] resize(float[][] planes, int sw, int sh, int dw, int dh) {
        if (sw == dw && sh == dh) {
            return planes;
        }
        int[] x0 = new int[dw];
        int[] x1 = new int[dw];
        float[] fx = new float[dw];
        axis(sw, dw, x0, x1, fx);
        int[] y0 = new int[dh];
        int[] y1 = new int[dh];
        float[] fy = new float[dh];
        axis(sh, dh, y0, y1, fy);
        float[][] out = new float[planes.length][];
        for (int p = 0; p < planes.length; p++) {
            float[] s = planes[p];
            float[] o = new float[dw * dh];
            for (int y = 0; y < dh; y++) {
                int r0 = y0[y] * sw;
                int r1 = y1[y] * sw;
                float wy = fy[y];
                for (int x = 0; x < dw; x++) {
                    float top = s[r0 + x0[x]] + (s[r0 + x1[x]] - s[r0 + x0[x]]) * fx[x];
                    float bottom = s[r1 + x0[x]] + (s[r1 + x1[x]] - s[r1 + x0[x]]) * fx[x];
                    o[y * dw + x] = top + (bottom - top) * wy;
                }
            }
            out[p] = o;
        }
        return out;
    }

    /** Source neighbours and weight of each destination coordinate along one axis. */
    private static void axis(int src, int dst, int[] i0, int[] i1, float[] frac) {
        double scale = (double) src / dst;
        for (int d = 0; d < dst; d++) {
            double s = (d + 0.5) * scale - 0.5;
            if (s < 0) {
                s = 0;
            }
            int lo = (int) Math.floor(s);
            if (lo >= src - 1) {
                lo = src - 1;
                s = lo;
            }
            i0[d] = lo;
            i1[d] = Math.min(lo + 1, src - 1);
            frac[d] = (float) (s - lo);
        }
    }

    /** RGB planes to the training colour space: one plane for gray, three for the others. */
    static float[][] toColourSpace(float[][] rgb, InputType type) {
        float[] r = rgb[0];
        float[] g = rgb[1];
        float[] b = rgb[2];
        switch (type) {
            case RGB:
                return rgb;
            case BGR:
                return new float[][] {b, g, r};
            case GRAY: {
                float[] y = new float[r.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = 0.299f * r[i] + 0.587f * g[i] + 0.114f * b[i];
                }
                return new float[][] {y};
            }
            case YUV444: {
                float[] y = new float[r.length];
                float[] u = new float[r.length];
                float[] v = new float[r.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = 0.299f * r[i] + 0.587f * g[i] + 0.114f * b[i];
                    u[i] = -0.168736f * r[i] - 0.331264f * g[i] + 0.5f * b[i] + 128f;
                    v[i] = 0.5f * r[i] - 0.418688f * g[i] - 0.081312f * b[i] + 128f;
                }
                return new float[][] {y, u, v};
            }
            default:
                throw new KilnException("input_type_train " + type.key() + " is not an image type");
        }
    }

    private static Tensor pack(float[][] planes, int h, int w, boolean nchw, DataType dataType) {
        int c = planes.length;
        int[] shape = nchw ? new int[] {1, c, h, w} : new int[] {1, h, w, c};
        boolean u8 = dataType == DataType.UINT8;
        Tensor t = Tensor.allocate(u8 ? DType.UINT8 : DType.FLOAT, shape);
        int hw = h * w;
        byte[] bytes = u8 ? t.bytes() : null;
        float[] floats = u8 ? null : t.floats();
        for (int ch = 0; ch < c; ch++) {
            float[] p = planes[ch];
            for (int i = 0; i < hw; i++) {
                int at = nchw ? ch * hw + i : i * c + ch;
                if (u8) {
                    bytes[at] = (byte) (int) Math.max(0, Math.min(255, Math.rint(p[i])));
                } else {
                    floats[at] = p[i];
                }
            }
        }
        return t;
    }
}
