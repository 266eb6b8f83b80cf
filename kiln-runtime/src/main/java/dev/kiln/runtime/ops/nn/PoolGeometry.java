package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.AttrView;
import dev.kiln.runtime.ops.KernelContext;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where the windows of a sliding-window operator fall: the {@code kernel_shape}, {@code strides},
 * {@code pads}, {@code dilations}, {@code auto_pad} and {@code ceil_mode} attributes of the pooling
 * operators, and the output size and actual padding they give for an input size.
 *
 * <p>The arithmetic follows ONNX Runtime, which is looser than the ONNX text in two places:
 * <ul>
 *   <li>Output size is {@code floor} (or {@code ceil} with ceil_mode) of
 *       {@code (in + padBegin + padEnd - dilation*(kernel-1) - 1) / stride + 1}, computed in float32;
 *       with ceil_mode a last window that would start in the end padding
 *       ({@code (out-1)*stride >= in + padBegin}) is dropped.</li>
 *   <li>With {@code auto_pad} SAME_UPPER / SAME_LOWER the total padding is
 *       {@code (ceil(in/stride) - 1) * stride + k - in}; pooling operators use the undilated kernel
 *       for k (so a dilated SAME pool can come out smaller than {@code ceil(in/stride)}), convolutions
 *       the dilated one. SAME_UPPER puts the odd pixel at the end, SAME_LOWER at the beginning.
 *       VALID means no padding.</li>
 * </ul>
 * {@link #outputSize} is the single place this arithmetic lives; Conv and friends call it with
 * {@code dilateSamePadding = true}.
 */
public final class PoolGeometry {
    /** The auto_pad attribute. */
    public enum AutoPad {
        NOTSET, VALID, SAME_UPPER, SAME_LOWER;

        /** Parses an auto_pad value (case-insensitive); null when it is not one of the four. */
        public static AutoPad parse(String s) {
            String u = s.toUpperCase(Locale.ROOT);
            for (AutoPad a : values()) {
                if (a.name().equals(u)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** Number of spatial axes. */
    public final int rank;
    public final int[] kernel;
    public final int[] strides;
    public final int[] dilations;
    /** Explicit pads: begin values for each axis, then end values (ignored unless auto_pad is NOTSET). */
    public final int[] pads;
    public final AutoPad autoPad;
    public final boolean ceilMode;

    private PoolGeometry(int[] kernel, int[] strides, int[] dilations, int[] pads, AutoPad autoPad, boolean ceilMode) {
        this.rank = kernel.length;
        this.kernel = kernel;
        this.strides = strides;
        this.dilations = dilations;
        this.pads = pads;
        this.autoPad = autoPad;
        this.ceilMode = ceilMode;
    }

    /**
     * Parses the window attributes of a pooling node; {@code kernel_shape} is required and fixes the
     * number of spatial axes. Pads must be smaller than the kernel, as ONNX Runtime requires.
     */
    public static PoolGeometry fromAttributes(KernelContext ctx) {
        AttrView a = ctx.attrs();
        long[] k = a.getInts("kernel_shape", null);
        if (k == null || k.length == 0) {
            throw ctx.error("the kernel_shape attribute is required");
        }
        int r = k.length;
        int[] kernel = positive(ctx, "kernel_shape", k, r);
        int[] strides = positive(ctx, "strides", a.getInts("strides", ones(r)), r);
        int[] dilations = positive(ctx, "dilations", a.getInts("dilations", ones(r)), r);
        long[] p = a.getInts("pads", new long[2 * r]);
        if (p.length != 2 * r) {
            throw ctx.error("pads has " + p.length + " values, expected " + 2 * r + " (begin and end for each of the "
                    + r + " spatial axes of kernel_shape)");
        }
        int[] pads = new int[2 * r];
        for (int i = 0; i < 2 * r; i++) {
            if (p[i] < 0) {
                throw ctx.error("pads must not be negative, found " + Arrays.toString(p));
            }
            if (p[i] >= kernel[i % r]) {
                throw ctx.error("pads " + Arrays.toString(p) + " must be smaller than kernel_shape "
                        + Arrays.toString(kernel));
            }
            pads[i] = (int) p[i];
        }
        String ap = a.getString("auto_pad", "NOTSET");
        AutoPad autoPad = AutoPad.parse(ap);
        if (autoPad == null) {
            throw ctx.error("auto_pad must be NOTSET, VALID, SAME_UPPER or SAME_LOWER, found '" + ap + "'");
        }
        long ceil = a.getInt("ceil_mode", 0);
        return new PoolGeometry(kernel, strides, dilations, pads, autoPad, ceil != 0);
    }

    private static long[] ones(int r) {
        long[] v = new long[r];
        Arrays.fill(v, 1);
        return v;
    }

    private static int[] positive(KernelContext ctx, String name, long[] v, int r) {
        if (v.length != r) {
            throw ctx.error(name + " has " + v.length + " values, expected " + r + " (one per spatial axis of kernel_shape)");
        }
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            if (v[i] <= 0 || v[i] > Integer.MAX_VALUE) {
                throw ctx.error(name + " must be positive, found " + Arrays.toString(v));
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    /**
     * Output size and actual pads along one axis: returns {out, padBegin, padEnd}.
     *
     * @param padBegin explicit begin padding (used only when autoPad is NOTSET)
     * @param padEnd explicit end padding (used only when autoPad is NOTSET)
     * @param dilateSamePadding whether SAME padding is computed from the dilated kernel (convolutions)
     *        or from the plain kernel (pooling, as ONNX Runtime does)
     */
    public static int[] outputSize(int in, int kernel, int stride, int dilation, int padBegin, int padEnd,
                                   AutoPad autoPad, boolean ceilMode, boolean dilateSamePadding) {
        int head = padBegin;
        int tail = padEnd;
        switch (autoPad) {
            case VALID:
                head = 0;
                tail = 0;
                break;
            case SAME_UPPER:
            case SAME_LOWER: {
                int k = dilateSamePadding ? dilation * (kernel - 1) + 1 : kernel;
                long target = ((long) in + stride - 1) / stride;
                int needed = (int) ((target - 1) * stride + k - in);
                head = autoPad == AutoPad.SAME_UPPER ? needed / 2 : (needed + 1) / 2;
                tail = needed - head;
                break;
            }
            default:
                break;
        }
        float span = (float) ((long) in + head + tail - (long) dilation * (kernel - 1) - 1);
        float q = span / stride + 1;
        long out = ceilMode ? (long) Math.ceil(q) : (long) q;
        if (ceilMode && (out - 1) * stride >= (long) in + head) {
            out--;
        }
        return new int[] {(int) out, head, tail};
    }

    /** Output sizes and pads for concrete spatial input sizes. */
    public Resolved resolve(int[] inSpatial) {
        int[] out = new int[rank];
        int[] begin = new int[rank];
        int[] end = new int[rank];
        for (int i = 0; i < rank; i++) {
            int[] r = outputSize(inSpatial[i], kernel[i], strides[i], dilations[i], pads[i], pads[rank + i], autoPad,
                    ceilMode, false);
            if (r[0] < 0) {
                throw new IllegalArgumentException("spatial axis " + i + " of size " + inSpatial[i]
                        + " is too small for kernel " + kernel[i] + " with dilation " + dilations[i] + " and pads "
                        + r[1] + "+" + r[2]);
            }
            out[i] = r[0];
            begin[i] = r[1];
            end[i] = r[2];
        }
        return new Resolved(inSpatial.clone(), out, begin, end);
    }

    /** Window placement for one input: spatial input sizes, output sizes and actual pads. */
    public static final class Resolved {
        public final int[] in;
        public final int[] out;
        public final int[] padBegin;
        public final int[] padEnd;

        Resolved(int[] in, int[] out, int[] padBegin, int[] padEnd) {
            this.in = in;
            this.out = out;
            this.padBegin = padBegin;
            this.padEnd = padEnd;
        }
    }
}
