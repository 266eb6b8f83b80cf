package dev.kiln.core.compile;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.core.pipeline.InputSpecs;
import dev.kiln.runtime.bin.IoDescriptor;
import dev.kiln.runtime.bin.IoDescriptor.TensorKind;
import dev.kiln.runtime.bin.TensorInfo;
import dev.kiln.runtime.tensor.DType;

/**
 * The descriptors of a compiled model's inputs and outputs. An image input is described as the
 * application hands it over (input_type_rt in input_layout_rt; NV12 as 1 x H x W, Y plane then
 * interleaved UV) and permuted by the runtime's input stage into the program's layout (the training
 * layout, int8 pixel - 128). A featuremap is float32 in input_layout_rt. Other tensors are described
 * by their element type.
 */
public final class IoDescriptors {
    private IoDescriptors() {
    }

    static IoDescriptor input(int tensor, TensorInfo t, InputSpec spec) {
        int[] shape = t.shape();
        if (shape == null) {
            throw new KilnException("input '" + t.name() + "' has no static shape; fix it with input_shape");
        }
        for (int d : shape) {
            if (d < 0) {
                throw new KilnException("input '" + t.name() + "' has a dynamic shape " + java.util.Arrays.toString(shape)
                        + "; fix it with input_shape");
            }
        }
        if (spec == null || shape.length != 4 || spec.typeRt() == InputType.FEATUREMAP && spec.layoutRt() == null) {
            return plain(tensor, t, null);
        }
        Layout train = spec.layoutTrain() != null ? spec.layoutTrain() : Layout.NCHW;
        InputType rt = spec.typeRt();
        if (rt == InputType.NV12) {
            int[] nhwc = InputSpecs.permute(shape, train, Layout.NHWC);
            int h = nhwc[1];
            int w = nhwc[2];
            int[] valid = {1, h, w};
            return new IoDescriptor(t.name(), tensor, TensorKind.NV12, IoDescriptor.Layout.NONE, valid, valid.clone(),
                    IoDescriptor.strides(valid, 1), (long) h * w * 3 / 2, null, perm(Layout.NHWC, train));
        }
        Layout layout = spec.layoutRt() != null ? spec.layoutRt() : train;
        int[] valid = InputSpecs.permute(shape, train, layout);
        TensorKind kind = rt == InputType.FEATUREMAP ? TensorKind.F32 : TensorKind.valueOf(rt.name());
        int elem = kind == TensorKind.F32 ? 4 : 1;
        long bytes = (long) elem;
        for (int d : valid) {
            bytes *= d;
        }
        return new IoDescriptor(t.name(), tensor, kind, layout == Layout.NHWC ? IoDescriptor.Layout.NHWC
                : IoDescriptor.Layout.NCHW, valid, valid.clone(), IoDescriptor.strides(valid, elem), bytes, null,
                perm(layout, train));
    }

    private static int[] perm(Layout from, Layout to) {
        return from == to ? null : InputSpecs.perm(from, to);
    }

    /** A tensor described by its element type: F32, S8, U8, S16 or S32. */
    public static IoDescriptor plain(int tensor, TensorInfo t, dev.kiln.runtime.bin.Quant quant) {
        TensorKind kind = kind(t.dtype(), t.name());
        int[] shape = t.shape() == null ? new int[0] : t.shape();
        long bytes = t.dtype().byteSize();
        for (int d : shape) {
            bytes *= Math.max(d, 0);
        }
        IoDescriptor.Layout layout = IoDescriptor.Layout.NONE;
        return new IoDescriptor(t.name(), tensor, kind, layout, shape.clone(), shape.clone(),
                IoDescriptor.strides(shape, t.dtype().byteSize()), bytes, quant, null);
    }

    /**
     * The descriptor of {@code batch} frames at once (input_batch): the first dimension and the byte
     * size multiplied; the runtime runs the program once per frame.
     */
    static IoDescriptor batched(IoDescriptor d, int batch) {
        int[] valid = d.validShape().length == 0 ? new int[] {batch} : d.validShape().clone();
        int[] aligned = d.alignedShape().length == 0 ? new int[] {batch} : d.alignedShape().clone();
        if (d.validShape().length > 0) {
            valid[0] *= batch;
            aligned[0] *= batch;
        }
        long[] strides = d.validShape().length == 0 ? new long[] {d.byteSize()} : d.strides();
        return new IoDescriptor(d.name(), d.tensor(), d.type(), d.layout(), valid, aligned, strides,
                d.byteSize() * batch, d.quant(), d.toProgram());
    }

    static IoDescriptor output(int tensor, TensorInfo t) {
        return plain(tensor, t, t.dtype() == DType.FLOAT ? null : t.quant());
    }

    private static TensorKind kind(DType t, String name) {
        switch (t) {
            case FLOAT: return TensorKind.F32;
            case INT8: return TensorKind.S8;
            case UINT8: return TensorKind.U8;
            case INT16: return TensorKind.S16;
            case INT32: return TensorKind.S32;
            default:
                throw new KilnException("tensor '" + name + "' is " + t.displayName() + "; model inputs and outputs of a .bin"
                        + " are float32, int8, uint8, int16 or int32");
        }
    }
}
