package dev.kiln.core.pipeline;

import dev.kiln.core.config.InputParameters.ColorRange;

/**
 * BT.601 colour conversions between RGB and YUV (Y'CbCr), as affine maps on pixel values in
 * [0, 255]: {@code out = m · in + offset}, channel orders R, G, B and Y, U (Cb), V (Cr).
 *
 * <p>Source: ITU-R BT.601-7, section 2.5: luma weights K_R = 0.299, K_B = 0.114 (K_G = 0.587);
 * E_CB = (E_B - E_Y) / 1.772, E_CR = (E_R - E_Y) / 1.402. Two quantizations of it:
 * <ul>
 * <li>{@link ColorRange#REGULAR} (full range, as JPEG/JFIF, ITU-T T.871): Y, U, V all span
 *     [0, 255], chroma centred on 128. Inverse: R = Y + 1.402 (V-128),
 *     G = Y - 0.344136 (U-128) - 0.714136 (V-128), B = Y + 1.772 (U-128).</li>
 * <li>{@link ColorRange#BT601_VIDEO} (BT.601 section 2.5.3, 8-bit studio range): Y = 16 + 219 E_Y,
 *     U, V = 128 + 224 E_C, so Y spans [16, 235] and U, V [16, 240]. Inverse:
 *     R = 1.164384 (Y-16) + 1.596027 (V-128), G = 1.164384 (Y-16) - 0.391762 (U-128) - 0.812968 (V-128),
 *     B = 1.164384 (Y-16) + 2.017232 (U-128).</li>
 * </ul>
 * Every coefficient is computed here from K_R and K_B in double precision; nothing is clipped (a
 * video-range YUV outside the nominal range maps to RGB outside [0, 255], as the linear map says).
 */
public final class ColorMatrices {
    public static final double KR = 0.299;
    public static final double KB = 0.114;
    public static final double KG = 1 - KR - KB;

    /** An affine colour map {@code out[i] = sum_j m[i][j] · in[j] + offset[i]}. */
    public record Affine(double[][] m, double[] offset) {
        public double apply(int row, double c0, double c1, double c2) {
            return m[row][0] * c0 + m[row][1] * c1 + m[row][2] * c2 + offset[row];
        }

        /** The same map with its output channels in the given order (out'[i] = out[order[i]]). */
        public Affine reorderOutputs(int[] order) {
            double[][] m2 = new double[3][];
            double[] o2 = new double[3];
            for (int i = 0; i < 3; i++) {
                m2[i] = m[order[i]].clone();
                o2[i] = offset[order[i]];
            }
            return new Affine(m2, o2);
        }

        /** The same map reading its inputs in the given order (in'[j] = in[order[j]]). */
        public Affine reorderInputs(int[] order) {
            double[][] m2 = new double[3][3];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    m2[i][j] = m[i][order[j]];
                }
            }
            return new Affine(m2, offset.clone());
        }
    }

    /** R, G, B as B, G, R and back. */
    public static final int[] REVERSE = {2, 1, 0};

    private ColorMatrices() {
    }

    /** YUV (pixel values) to RGB (pixel values). */
    public static Affine yuvToRgb(ColorRange range) {
        double[][] m = {
            {1, 0, 2 * (1 - KR)},
            {1, -2 * KB * (1 - KB) / KG, -2 * KR * (1 - KR) / KG},
            {1, 2 * (1 - KB), 0},
        };
        double[] in0 = {0, 128, 128};
        if (range == ColorRange.BT601_VIDEO) {
            double[] s = {255.0 / 219, 255.0 / 224, 255.0 / 224};
            for (double[] row : m) {
                for (int j = 0; j < 3; j++) {
                    row[j] *= s[j];
                }
            }
            in0[0] = 16;
        }
        double[] offset = new double[3];
        for (int i = 0; i < 3; i++) {
            offset[i] = -(m[i][0] * in0[0] + m[i][1] * in0[1] + m[i][2] * in0[2]);
        }
        return new Affine(m, offset);
    }

    /** RGB (pixel values) to YUV (pixel values): the inverse of {@link #yuvToRgb}. */
    public static Affine rgbToYuv(ColorRange range) {
        double[][] m = {
            {KR, KG, KB},
            {-KR / (2 * (1 - KB)), -KG / (2 * (1 - KB)), 0.5},
            {0.5, -KG / (2 * (1 - KR)), -KB / (2 * (1 - KR))},
        };
        double[] offset = {0, 128, 128};
        if (range == ColorRange.BT601_VIDEO) {
            double[] s = {219.0 / 255, 224.0 / 255, 224.0 / 255};
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    m[i][j] *= s[i];
                }
            }
            offset[0] = 16;
        }
        return new Affine(m, offset);
    }

    /** BT.601 luma of an RGB pixel (the grey value of a colour image). */
    public static double luma(double r, double g, double b) {
        return KR * r + KG * g + KB * b;
    }
}
