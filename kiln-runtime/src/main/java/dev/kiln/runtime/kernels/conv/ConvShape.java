package dev.kiln.runtime.kernels.conv;

/**
 * Geometry of one convolution, with every spatial rank (1-D to 3-D) lifted to 3-D by leading unit
 * dims: input C x D x H x W, kernel KD x KH x KW, strides, dilations, leading pads, output
 * OD x OH x OW.
 */
public final class ConvShape {
    public final int c;
    public final int d, h, w;
    public final int kd, kh, kw;
    public final int sd, sh, sw;
    public final int dd, dh, dw;
    public final int pd, ph, pw;
    /** trailing pads */
    public final int pd2, ph2, pw2;
    public final int od, oh, ow;

    /**
     * @param in    input spatial dims (1 to 3 values)
     * @param k     kernel dims, same rank
     * @param s     strides
     * @param dil   dilations
     * @param padBegin leading pads
     * @param out   output spatial dims
     * @param channels input channels per group
     */
    public ConvShape(int channels, int[] in, int[] k, int[] s, int[] dil, int[] padBegin, int[] out) {
        this(channels, in, k, s, dil, padBegin, new int[padBegin.length], out);
    }

    /** With trailing pads too (needed by the padded-input paths). */
    public ConvShape(int channels, int[] in, int[] k, int[] s, int[] dil, int[] padBegin, int[] padEnd, int[] out) {
        int r = in.length;
        if (r < 1 || r > 3) {
            throw new IllegalArgumentException("convolutions over " + r + " spatial dimensions are not supported");
        }
        this.c = channels;
        this.d = lift(in, r, 0, 1);
        this.h = lift(in, r, 1, 1);
        this.w = lift(in, r, 2, 1);
        this.kd = lift(k, r, 0, 1);
        this.kh = lift(k, r, 1, 1);
        this.kw = lift(k, r, 2, 1);
        this.sd = lift(s, r, 0, 1);
        this.sh = lift(s, r, 1, 1);
        this.sw = lift(s, r, 2, 1);
        this.dd = lift(dil, r, 0, 1);
        this.dh = lift(dil, r, 1, 1);
        this.dw = lift(dil, r, 2, 1);
        this.pd = lift(padBegin, r, 0, 0);
        this.ph = lift(padBegin, r, 1, 0);
        this.pw = lift(padBegin, r, 2, 0);
        this.pd2 = lift(padEnd, r, 0, 0);
        this.ph2 = lift(padEnd, r, 1, 0);
        this.pw2 = lift(padEnd, r, 2, 0);
        this.od = lift(out, r, 0, 1);
        this.oh = lift(out, r, 1, 1);
        this.ow = lift(out, r, 2, 1);
    }

    /** Index i of a 3-D view of an r-D vector: leading dims are padded with {@code fill}. */
    private static int lift(int[] v, int r, int i, int fill) {
        int j = i - (3 - r);
        return j < 0 ? fill : v[j];
    }

    public int inputPlane() {
        return d * h * w;
    }

    public int outputPlane() {
        return od * oh * ow;
    }

    public int kernelSize() {
        return kd * kh * kw;
    }

    /** Columns of the im2col matrix: c * kernel size. */
    public int depth() {
        return c * kernelSize();
    }

    /** True for a 1x1(x1) kernel with unit strides and no padding: the input is already the column matrix. */
    public boolean isPointwise() {
        return kernelSize() == 1 && sd == 1 && sh == 1 && sw == 1 && pd == 0 && ph == 0 && pw == 0
                && od == d && oh == h && ow == w;
    }
}
