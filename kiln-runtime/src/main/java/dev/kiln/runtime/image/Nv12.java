package dev.kiln.runtime.image;

/**
 * NV12 (YUV 4:2:0, semi-planar) and its expansion to planar YUV444: the chroma rule shared by the
 * runtime's input stage and the toolchain's calibration, so calibration sees the pixels a device
 * delivers.
 *
 * <p>Layout of an NV12 image of H x W (both even): the Y plane (H·W bytes, row-major), then one
 * interleaved chroma plane of (H/2) x (W/2) pairs U, V (H·W/2 bytes). Byte values are unsigned.
 *
 * <ul>
 * <li>Subsampling ({@link #fromYuv444}): each chroma sample is the mean of its 2x2 block,
 *     rounded half up: {@code (a + b + c + d + 2) / 4}.</li>
 * <li>Upsampling ({@link #toYuv444}): each chroma sample is repeated over its 2x2 block (nearest
 *     neighbour), the expansion image pipelines apply before a per-pixel colour conversion.</li>
 * </ul>
 */
public final class Nv12 {
    private Nv12() {
    }

    /** Bytes of an NV12 image of the given size. */
    public static int byteSize(int height, int width) {
        checkEven(height, width);
        return height * width + height * width / 2;
    }

    /** NV12 from three planes (unsigned bytes, each height·width long). */
    public static byte[] fromYuv444(byte[] y, byte[] u, byte[] v, int height, int width) {
        int plane = checkPlanes(y, u, v, height, width);
        byte[] out = new byte[byteSize(height, width)];
        System.arraycopy(y, 0, out, 0, plane);
        int at = plane;
        for (int r = 0; r < height; r += 2) {
            for (int c = 0; c < width; c += 2) {
                out[at++] = (byte) blockMean(u, r, c, width);
                out[at++] = (byte) blockMean(v, r, c, width);
            }
        }
        return out;
    }

    /** Expands NV12 into the three planes (each height·width long), chroma repeated over 2x2 blocks. */
    public static void toYuv444(byte[] nv12, int height, int width, byte[] y, byte[] u, byte[] v) {
        int plane = checkPlanes(y, u, v, height, width);
        if (nv12.length < byteSize(height, width)) {
            throw new IllegalArgumentException("NV12 image of " + height + "x" + width + " needs "
                    + byteSize(height, width) + " bytes, got " + nv12.length);
        }
        System.arraycopy(nv12, 0, y, 0, plane);
        int at = plane;
        for (int r = 0; r < height; r += 2) {
            for (int c = 0; c < width; c += 2) {
                byte cu = nv12[at++];
                byte cv = nv12[at++];
                int i = r * width + c;
                u[i] = cu;
                u[i + 1] = cu;
                u[i + width] = cu;
                u[i + width + 1] = cu;
                v[i] = cv;
                v[i + 1] = cv;
                v[i + width] = cv;
                v[i + width + 1] = cv;
            }
        }
    }

    /**
     * Replaces the chroma planes by what an NV12 round trip leaves of them (subsample, then
     * upsample), in place: the YUV444 a device produces from this image.
     */
    public static void roundTripChroma(byte[] u, byte[] v, int height, int width) {
        checkEven(height, width);
        for (byte[] p : new byte[][] {u, v}) {
            for (int r = 0; r < height; r += 2) {
                for (int c = 0; c < width; c += 2) {
                    byte m = (byte) blockMean(p, r, c, width);
                    int i = r * width + c;
                    p[i] = m;
                    p[i + 1] = m;
                    p[i + width] = m;
                    p[i + width + 1] = m;
                }
            }
        }
    }

    private static int blockMean(byte[] p, int r, int c, int width) {
        int i = r * width + c;
        int sum = (p[i] & 0xff) + (p[i + 1] & 0xff) + (p[i + width] & 0xff) + (p[i + width + 1] & 0xff);
        return (sum + 2) >> 2;
    }

    private static int checkPlanes(byte[] y, byte[] u, byte[] v, int height, int width) {
        checkEven(height, width);
        int plane = height * width;
        if (y.length < plane || u.length < plane || v.length < plane) {
            throw new IllegalArgumentException("YUV444 planes of " + height + "x" + width + " need " + plane
                    + " bytes each, got " + y.length + ", " + u.length + ", " + v.length);
        }
        return plane;
    }

    private static void checkEven(int height, int width) {
        if (height <= 0 || width <= 0 || height % 2 != 0 || width % 2 != 0) {
            throw new IllegalArgumentException("NV12 needs a positive even height and width, got " + height + "x" + width);
        }
    }
}
