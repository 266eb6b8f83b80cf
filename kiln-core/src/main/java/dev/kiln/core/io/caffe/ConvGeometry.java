package dev.kiln.core.io.caffe;

import com.google.protobuf.Descriptors;
import com.google.protobuf.MessageOrBuilder;
import dev.kiln.core.io.caffe.proto.CaffeNet;

import java.util.List;

/**
 * Kernel, stride, pad and dilation of a Convolution or Deconvolution in any of Caffe's spellings:
 * one value for every spatial axis, one value per axis, or the 2-D kernel_h/kernel_w, stride_h/...,
 * pad_h/... fields (which win when given). Pooling windows use the same spellings.
 */
record ConvGeometry(long[] kernel, long[] stride, long[] pad, long[] dilation) {
    static ConvGeometry of(CaffeContext ctx, CaffeNet.ConvolutionParameter p, int spatial) {
        if (p.getAxis() != 1) {
            throw ctx.error("convolution_param axis " + p.getAxis() + " is not supported: the channel axis must be 1 (N, C, spatial...)");
        }
        return of(ctx, spatial, p, p.getDilationList());
    }

    /** The window of a Pooling layer (which has no dilation). */
    static ConvGeometry of(CaffeContext ctx, CaffeNet.PoolingParameter p, int spatial) {
        return of(ctx, spatial, p, List.of());
    }

    /** Reads the fields by name: Convolution and Pooling parameters spell them alike. */
    private static ConvGeometry of(CaffeContext ctx, int spatial, MessageOrBuilder p, List<Integer> dilation) {
        return of(ctx, spatial, Spelling.of(p, "kernel_size", "kernel_h", "kernel_w"),
                Spelling.of(p, "stride", "stride_h", "stride_w"), Spelling.of(p, "pad", "pad_h", "pad_w"), dilation);
    }

    private static ConvGeometry of(CaffeContext ctx, int spatial, Spelling k, Spelling s, Spelling pd, List<Integer> d) {
        if (spatial < 1) {
            throw ctx.error("needs an input with spatial axes");
        }
        long[] kernel = k.resolve(ctx, spatial, -1);
        if (kernel == null) {
            throw ctx.error("gives no kernel_size (or kernel_h and kernel_w)");
        }
        long[] stride = s.resolve(ctx, spatial, 1);
        long[] pad = pd.resolve(ctx, spatial, 0);
        long[] dilation = perAxis(ctx, "dilation", d, spatial, 1);
        for (int i = 0; i < spatial; i++) {
            if (kernel[i] <= 0 || stride[i] <= 0 || dilation[i] <= 0) {
                throw ctx.error("kernel, stride and dilation must be positive (kernel " + kernel[i] + ", stride "
                        + stride[i] + ", dilation " + dilation[i] + " on spatial axis " + i + ")");
            }
        }
        return new ConvGeometry(kernel, stride, pad, dilation);
    }

    /**
     * One window field in its two spellings: the repeated field, or the 2-D _h/_w pair, which wins
     * when either half is given (both halves are needed, except for pad whose halves default to 0).
     */
    private record Spelling(String field, String pair, List<Integer> values, boolean hasH, int h, boolean hasW, int w) {
        @SuppressWarnings("unchecked")
        static Spelling of(MessageOrBuilder p, String field, String hName, String wName) {
            Descriptors.Descriptor d = p.getDescriptorForType();
            Descriptors.FieldDescriptor fh = d.findFieldByName(hName);
            Descriptors.FieldDescriptor fw = d.findFieldByName(wName);
            return new Spelling(field, hName + "/" + wName, (List<Integer>) p.getField(d.findFieldByName(field)),
                    p.hasField(fh), (Integer) p.getField(fh), p.hasField(fw), (Integer) p.getField(fw));
        }

        long[] resolve(CaffeContext ctx, int spatial, long def) {
            if (!hasH && !hasW) {
                return perAxis(ctx, field, values, spatial, def);
            }
            if (spatial != 2) {
                throw ctx.error(pair + " apply to 2-D inputs only");
            }
            if (def != 0 && (!hasH || !hasW)) {
                throw ctx.error("give both of " + pair);
            }
            return new long[] {Integer.toUnsignedLong(h), Integer.toUnsignedLong(w)};
        }
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
