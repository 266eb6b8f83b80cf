package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Shapes;

import java.util.Arrays;

/**
 * Convolution geometry of the integer convolutions (ConvInteger, QLinearConv): the attributes
 * kernel_shape, strides, dilations, pads, auto_pad and group, the padding they resolve to and the
 * output size, and the gather table the reference loops read the input through.
 *
 * <p>auto_pad follows the ONNX spec: VALID pads nothing; SAME_UPPER / SAME_LOWER produce
 * ceil(in / stride) outputs with {@code max(0, (out - 1) * stride + (k - 1) * dilation + 1 - in)}
 * padding, the odd element at the end (UPPER) or the beginning (LOWER).
 */
public final class IntConvGeometry {
    private final long[] kernelShape;
    private final long[] strides;
    private final long[] dilations;
    private final long[] pads;
    private final String autoPad;
    final int group;

    private IntConvGeometry(long[] kernelShape, long[] strides, long[] dilations, long[] pads, String autoPad, int group) {
        this.kernelShape = kernelShape;
        this.strides = strides;
        this.dilations = dilations;
        this.pads = pads;
        this.autoPad = autoPad;
        this.group = group;
    }

    /** Parses and checks the attributes (their lengths against the rank are checked in {@link #resolve}). */
    public static IntConvGeometry parse(KernelContext ctx) {
        var a = ctx.attrs();
        long[] kernel = a.getInts("kernel_shape", null);
        long[] strides = a.getInts("strides", null);
        long[] dilations = a.getInts("dilations", null);
        long[] pads = a.getInts("pads", null);
        String autoPad = a.getString("auto_pad", "NOTSET");
        long group = a.getInt("group", 1);
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID") && !autoPad.equals("SAME_UPPER")
                && !autoPad.equals("SAME_LOWER")) {
            throw ctx.error("auto_pad must be NOTSET, VALID, SAME_UPPER or SAME_LOWER, found '" + autoPad + "'");
        }
        if (group < 1) {
            throw ctx.error("group must be >= 1, found " + group);
        }
        checkPositive(ctx, "kernel_shape", kernel);
        checkPositive(ctx, "strides", strides);
        checkPositive(ctx, "dilations", dilations);
        if (pads != null) {
            for (long p : pads) {
                if (p < 0) {
                    throw ctx.error("pads must be >= 0, found " + Arrays.toString(pads));
                }
            }
            if (pads.length % 2 != 0) {
                throw ctx.error("pads must hold a begin and an end per spatial axis, found " + Arrays.toString(pads));
            }
        }
        return new IntConvGeometry(kernel, strides, dilations, pads, autoPad, (int) group);
    }

    private static void checkPositive(KernelContext ctx, String name, long[] v) {
        if (v != null) {
            for (long x : v) {
                if (x < 1) {
                    throw ctx.error(name + " must be positive, found " + Arrays.toString(v));
                }
            }
        }
    }

    private static long at(long[] v, int i, long def) {
        return v == null ? def : v[i];
    }

    private void checkLength(String name, long[] v, int want) {
        if (v != null && v.length != want) {
            throw new IllegalArgumentException(name + " has " + v.length + " values but the convolution has " + want
                    + " spatial axes");
        }
    }

    /**
     * Output spatial dims for input spatial dims and kernel dims that may be unknown (-1); -1
     * where they cannot be known. Used by shape inference.
     */
    public int[] outputSpatial(int[] in, int[] kernel) {
        int[] out = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            long k = kernelShape != null && i < kernelShape.length ? kernelShape[i] : kernel[i];
            if (in[i] < 0 || k < 0) {
                out[i] = -1;
                continue;
            }
            long[] r = axis(i, in[i], k);
            out[i] = (int) r[2];
        }
        return out;
    }

    /** {padBegin, padEnd, out} along spatial axis i. */
    private long[] axis(int i, long in, long k) {
        long s = at(strides, i, 1);
        long dk = (k - 1) * at(dilations, i, 1) + 1;
        long begin;
        long end;
        long out;
        switch (autoPad) {
            case "VALID":
                begin = 0;
                end = 0;
                out = Math.floorDiv(in - dk, s) + 1;
                break;
            case "SAME_UPPER":
            case "SAME_LOWER": {
                out = (in + s - 1) / s;
                long total = Math.max(0, (out - 1) * s + dk - in);
                begin = autoPad.equals("SAME_UPPER") ? total / 2 : (total + 1) / 2;
                end = total - begin;
                break;
            }
            default: {
                int r = pads == null ? 0 : pads.length / 2;
                begin = at(pads, i, 0);
                end = pads == null ? 0 : pads[i + r];
                out = Math.floorDiv(in + begin + end - dk, s) + 1;
            }
        }
        if (out < 0 || in + begin + end < dk) {
            throw new IllegalArgumentException("the dilated kernel (" + dk + ") is larger than the padded input ("
                    + (in + begin + end) + ") along spatial axis " + i);
        }
        return new long[] {begin, end, out};
    }

    /** The geometry for concrete shapes x [N, C, D1..Dr] and w [M, C / group, k1..kr]. */
    Resolved resolve(int[] x, int[] w) {
        if (x.length < 3 || w.length != x.length) {
            throw new IllegalArgumentException("expected x [N, C, spatial...] and w [M, C/group, kernel...] of the same rank"
                    + " (at least 3), found x " + Shapes.toString(x) + " and w " + Shapes.toString(w));
        }
        int r = x.length - 2;
        checkLength("kernel_shape", kernelShape, r);
        checkLength("strides", strides, r);
        checkLength("dilations", dilations, r);
        checkLength("pads", pads == null ? null : Arrays.copyOf(pads, pads.length / 2), r);
        if (x[1] != w[1] * group) {
            throw new IllegalArgumentException("x has " + x[1] + " channels but w expects " + w[1] + " per group x "
                    + group + " groups");
        }
        if (w[0] % group != 0) {
            throw new IllegalArgumentException("the " + w[0] + " output channels of w are not divisible by group " + group);
        }
        Resolved g = new Resolved(r);
        for (int i = 0; i < r; i++) {
            int k = w[i + 2];
            if (kernelShape != null && kernelShape[i] != k) {
                throw new IllegalArgumentException("kernel_shape " + Arrays.toString(kernelShape) + " does not match w "
                        + Shapes.toString(w));
            }
            long[] a = axis(i, x[i + 2], k);
            g.in[i] = x[i + 2];
            g.kernel[i] = k;
            g.stride[i] = (int) at(strides, i, 1);
            g.dilation[i] = (int) at(dilations, i, 1);
            g.padBegin[i] = (int) a[0];
            g.out[i] = (int) a[2];
        }
        return g;
    }

    /** Geometry resolved for one pair of input shapes. */
    static final class Resolved {
        final int[] in;
        final int[] kernel;
        final int[] stride;
        final int[] dilation;
        final int[] padBegin;
        final int[] out;

        Resolved(int rank) {
            in = new int[rank];
            kernel = new int[rank];
            stride = new int[rank];
            dilation = new int[rank];
            padBegin = new int[rank];
            out = new int[rank];
        }

        int inputSize() {
            return Shapes.size(in);
        }

        int outputSize() {
            return Shapes.size(out);
        }

        int kernelSize() {
            return Shapes.size(kernel);
        }

        /**
         * For kernel offset kk and output position p (both flat), the flat input position that
         * output p reads through kk, stored at {@code [kk * outputSize() + p]}; padding reads
         * position {@code inputSize()}, where the caller keeps a zero.
         */
        int[] gatherTable() {
            int rank = in.length;
            int kSize = kernelSize();
            int oSize = outputSize();
            int pad = inputSize();
            int[] inStrides = Shapes.strides(in);
            int[] table = new int[kSize * oSize];
            int[] kk = new int[rank];
            int[] o = new int[rank];
            for (int k = 0; k < kSize; k++) {
                Arrays.fill(o, 0);
                for (int p = 0; p < oSize; p++) {
                    int idx = 0;
                    for (int d = 0; d < rank; d++) {
                        int pos = o[d] * stride[d] - padBegin[d] + kk[d] * dilation[d];
                        if (pos < 0 || pos >= in[d]) {
                            idx = pad;
                            break;
                        }
                        idx += pos * inStrides[d];
                    }
                    table[k * oSize + p] = idx;
                    increment(o, out);
                }
                increment(kk, kernel);
            }
            return table;
        }

        private static void increment(int[] counter, int[] limits) {
            for (int d = counter.length - 1; d >= 0; d--) {
                if (++counter[d] < limits[d]) {
                    return;
                }
                counter[d] = 0;
            }
        }
    }
}
