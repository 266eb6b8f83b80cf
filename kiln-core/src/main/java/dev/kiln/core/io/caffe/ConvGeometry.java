package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;

import java.util.List;

/**
 * Kernel, stride, pad and dilation of a Convolution or Deconvolution in any of Caffe's spellings:
 * one value for every spatial axis, one value per axis, or the 2-D kernel_h/kernel_w, stride_h/...,
 * pad_h/... fields (which win when given).
 */
record ConvGeometry(long[] kernel, long[] stride, long[] pad, long[] dilation) {
    static ConvGeometry of(CaffeContext ctx, CaffeNet.ConvolutionParameter p, int spatial) {
        if (spatial < 1) {
            throw ctx.error("needs an input with spatial axes");
        }
        long[] kernel = perAxis(ctx, "kernel_size", p.getKernelSizeList(), spatial, -1);
        if (p.hasKernelH() || p.hasKernelW()) {
            kernel = hw(ctx, "kernel_h/kernel_w", p.hasKernelH(), p.getKernelH(), p.hasKernelW(), p.getKernelW(), spatial);
        }
        if (kernel == null) {
            throw ctx.error("convolution_param gives no kernel_size (or kernel_h and kernel_w)");
        }
        long[] stride = perAxis(ctx, "stride", p.getStrideList(), spatial, 1);
        if (p.hasStrideH() || p.hasStrideW()) {
            stride = hw(ctx, "stride_h/stride_w", p.hasStrideH(), p.getStrideH(), p.hasStrideW(), p.getStrideW(), spatial);
        }
        long[] pad = perAxis(ctx, "pad", p.getPadList(), spatial, 0);
        if (p.hasPadH() || p.hasPadW()) {
            pad = hw(ctx, "pad_h/pad_w", true, p.getPadH(), true, p.getPadW(), spatial);
        }
        long[] dilation = perAxis(ctx, "dilation", p.getDilationList(), spatial, 1);
        for (int i = 0; i < spatial; i++) {
            if (kernel[i] <= 0 || stride[i] <= 0 || dilation[i] <= 0) {
                throw ctx.error("kernel, stride and dilation must be positive (kernel " + kernel[i] + ", stride "
                        + stride[i] + ", dilation " + dilation[i] + " on spatial axis " + i + ")");
            }
        }
        return new ConvGeometry(kernel, stride, pad, dilation);
    }

    /** A repeated field: empty → default (null when there is none), one value → every axis, else one per axis. */
    private static long[] perAxis(CaffeContext ctx, String field, List<Integer> values, int spatial, long def) {
        long[] out = new long[spatial];
        if (values.isEmpty()) {
            if (def < 0) {
                return null;
            }
            java.util.Arrays.fill(out, def);
        } else if (values.size() == 1) {
            java.util.Arrays.fill(out, Integer.toUnsignedLong(values.get(0)));
        } else if (values.size() == spatial) {
            for (int i = 0; i < spatial; i++) {
                out[i] = Integer.toUnsignedLong(values.get(i));
            }
        } else {
            throw ctx.error(field + " has " + values.size() + " values for " + spatial + " spatial axes");
        }
        return out;
    }

    private static long[] hw(CaffeContext ctx, String fields, boolean hasH, int h, boolean hasW, int w, int spatial) {
        if (spatial != 2) {
            throw ctx.error(fields + " apply to 2-D inputs only");
        }
        if (!hasH || !hasW) {
            throw ctx.error("give both of " + fields);
        }
        return new long[] {Integer.toUnsignedLong(h), Integer.toUnsignedLong(w)};
    }

    /** The weight shape {@code first x second x kernel...}. */
    int[] weightShape(int first, int second) {
        int[] s = new int[2 + kernel.length];
        s[0] = first;
        s[1] = second;
        for (int i = 0; i < kernel.length; i++) {
            s[2 + i] = Math.toIntExact(kernel[i]);
        }
        return s;
    }

    /** kernel_shape, strides, symmetric pads and dilations as ONNX Conv/ConvTranspose attributes. */
    CaffeContext.AttrBuilder attrs() {
        long[] pads = new long[2 * pad.length];
        for (int i = 0; i < pad.length; i++) {
            pads[i] = pad[i];
            pads[pad.length + i] = pad[i];
        }
        return CaffeContext.attrs().ints("kernel_shape", kernel).ints("strides", stride).ints("pads", pads)
                .ints("dilations", dilation);
    }
}
