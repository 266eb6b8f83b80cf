package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.AttrView;
import dev.kiln.runtime.ops.KernelContext;

import java.util.Arrays;

/**
 * The spatial attributes shared by Conv, ConvTranspose and the integer convolutions (kernel_shape,
 * strides, dilations, pads, auto_pad, group), parsed with ONNX defaults, plus the output-size and
 * SAME-padding arithmetic of the ONNX spec.
 */
public final class ConvAttributes {
    public final int rank;
    public final int[] kernel;
    public final int[] strides;
    public final int[] dilations;
    /** begin pads then end pads, 2*rank values (as given; SAME padding is resolved per input in {@link #pads}). */
    public final int[] pads;
    public final String autoPad;
    public final int group;

    private ConvAttributes(int rank, int[] kernel, int[] strides, int[] dilations, int[] pads, String autoPad, int group) {
        this.rank = rank;
        this.kernel = kernel;
        this.strides = strides;
        this.dilations = dilations;
        this.pads = pads;
        this.autoPad = autoPad;
        this.group = group;
    }

    /**
     * Parses the attributes for a convolution whose weight has the given spatial dims (used when
     * kernel_shape is absent; may contain -1 when unknown).
     */
    public static ConvAttributes parse(KernelContext ctx, int rank, int[] weightSpatial) {
        AttrView a = ctx.attrs();
        int[] kernel = toInts(a.getInts("kernel_shape", null));
        if (kernel == null) {
            kernel = weightSpatial;
        }
        if (kernel == null || kernel.length != rank) {
            throw ctx.error("kernel_shape " + Arrays.toString(kernel) + " does not match " + rank + " spatial dims");
        }
        int[] strides = toInts(a.getInts("strides", null));
        if (strides == null) {
            strides = filled(rank, 1);
        }
        int[] dil = toInts(a.getInts("dilations", null));
        if (dil == null) {
            dil = filled(rank, 1);
        }
        int[] pads = toInts(a.getInts("pads", null));
        if (pads == null) {
            pads = new int[2 * rank];
        }
        if (strides.length != rank || dil.length != rank || pads.length != 2 * rank) {
            throw ctx.error("strides " + Arrays.toString(strides) + ", dilations " + Arrays.toString(dil)
                    + " and pads " + Arrays.toString(pads) + " must have " + rank + ", " + rank + " and "
                    + 2 * rank + " values");
        }
        for (int i = 0; i < rank; i++) {
            if (strides[i] <= 0 || dil[i] <= 0) {
                throw ctx.error("strides and dilations must be positive, found strides " + Arrays.toString(strides)
                        + " dilations " + Arrays.toString(dil));
            }
        }
        for (int p : pads) {
            if (p < 0) {
                throw ctx.error("negative pads " + Arrays.toString(pads) + " are not supported");
            }
        }
        String autoPad = a.getString("auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("SAME_UPPER") && !autoPad.equals("SAME_LOWER")
                && !autoPad.equals("VALID")) {
            throw ctx.error("auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, found '" + autoPad + "'");
        }
        int group = (int) a.getInt("group", 1);
        if (group <= 0) {
            throw ctx.error("group must be positive, found " + group);
        }
        return new ConvAttributes(rank, kernel, strides, dil, pads, autoPad, group);
    }

    /** An int list attribute as int[] (null stays null); fails on values outside the int range. */
    public static int[] toInts(long[] v) {
        if (v == null) {
            return null;
        }
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.toIntExact(v[i]);
        }
        return r;
    }

    /** n copies of v. */
    public static int[] filled(int n, int v) {
        int[] r = new int[n];
        Arrays.fill(r, v);
        return r;
    }

    /** Effective kernel extent along dim i: (k - 1) * dilation + 1. */
    public int extent(int i) {
        return (kernel[i] - 1) * dilations[i] + 1;
    }

    /** The begin/end pads for an input of the given spatial size (auto_pad resolved), 2*rank values. */
    public int[] pads(int[] in) {
        if (autoPad.equals("NOTSET")) {
            return pads;
        }
        int[] p = new int[2 * rank];
        if (autoPad.equals("VALID")) {
            return p;
        }
        for (int i = 0; i < rank; i++) {
            int out = (in[i] + strides[i] - 1) / strides[i];
            int total = Math.max(0, (out - 1) * strides[i] + extent(i) - in[i]);
            int small = total / 2;
            if (autoPad.equals("SAME_UPPER")) {
                p[i] = small;
                p[i + rank] = total - small;
            } else {
                p[i] = total - small;
                p[i + rank] = small;
            }
        }
        return p;
    }

    /** Output spatial size of a convolution for the given input size (-1 stays unknown). */
    public int[] outputSize(int[] in) {
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            if (in[i] < 0) {
                out[i] = -1;
                continue;
            }
            if (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER")) {
                out[i] = (in[i] + strides[i] - 1) / strides[i];
            } else {
                int[] p = pads(in);
                out[i] = Math.floorDiv(in[i] + p[i] + p[i + rank] - extent(i), strides[i]) + 1;
            }
        }
        return out;
    }
}
