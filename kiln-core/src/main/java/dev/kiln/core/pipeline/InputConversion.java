package dev.kiln.core.pipeline;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.runtime.image.Nv12;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Input data on both sides of the preprocessing subgraph, computed in Java (double precision):
 * <ul>
 * <li>{@link #toTrainingSpace}: a decoded image (RGB or gray bytes, H x W x C) as a sample in the
 *     training colour space and layout, without mean/scale: what a calibration file holds.</li>
 * <li>{@link #toIntermediate}: such a sample as the int8 intermediate input of the original float
 *     model, i.e. what the device's input stage would deliver for it (SPEC section 4, last paragraph).
 *     Training → run-time colour space (BT.601 RGB → YUV when input_type_rt is nv12 or yuv444, RGB ↔ BGR
 *     by channel order), rounded half to even and clamped to [0, 255]; for nv12 the chroma then makes
 *     an NV12 round trip ({@link Nv12}: 2x2 mean, repeated), as on the device; finally pixel - 128.</li>
 * <li>{@link #sourceModelInput}: the inverse reference path, from an intermediate input to the
 *     normalized float32 tensor the source model expects for the same pixels: + 128, run-time →
 *     training colour space, {@code (x - mean) * scale} as norm_type says, training layout. The
 *     original float model fed an intermediate tensor computes what the source model computes on
 *     this tensor.</li>
 * </ul>
 * Featuremap inputs pass through as float32 copies.
 */
public final class InputConversion {
    private InputConversion() {
    }

    /** The image (UINT8, H x W x 3 RGB, or H x W x 1 / H x W gray) as a UINT8 training-space sample. */
    public static Tensor toTrainingSpace(Tensor image, InputSpec spec) {
        requireImage(spec);
        int[] s = image.shape();
        int channels = s.length == 2 ? 1 : s.length == 3 ? s[2] : -1;
        if (image.dtype() != DType.UINT8 || (channels != 1 && channels != 3)) {
            throw new KilnException("input '" + spec.name() + "': expected a uint8 H x W x 3 (RGB) or H x W x 1 (gray) image, got "
                    + image.dtype() + " " + InputSpecs.shapeString(s));
        }
        InputType train = spec.typeTrain();
        if (channels == 1 && train != InputType.GRAY) {
            throw new KilnException("input '" + spec.name() + "': a gray image cannot feed input_type_train " + train.key());
        }
        int h = s[0];
        int w = s[1];
        int c = train.channels();
        Layout layout = spec.layoutTrain();
        Tensor out = Tensor.allocate(DType.UINT8, layout == Layout.NCHW ? new int[] {1, c, h, w} : new int[] {1, h, w, c});
        ColorMatrices.Affine toYuv = ColorMatrices.rgbToYuv(InputSpecs.colorRange(spec));
        Pixels px = new Pixels(out.shape(), layout);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = (y * w + x) * channels;
                double r = image.getDouble(at);
                double g = channels == 3 ? image.getDouble(at + 1) : r;
                double b = channels == 3 ? image.getDouble(at + 2) : r;
                double[] v;
                switch (train) {
                    case RGB: v = new double[] {r, g, b}; break;
                    case BGR: v = new double[] {b, g, r}; break;
                    case YUV444: v = new double[] {toYuv.apply(0, r, g, b), toYuv.apply(1, r, g, b), toYuv.apply(2, r, g, b)}; break;
                    default: v = new double[] {channels == 1 ? r : ColorMatrices.luma(r, g, b)}; break;
                }
                for (int k = 0; k < c; k++) {
                    out.setLong(px.index(0, k, y, x), pixel(v[k]));
                }
            }
        }
        return out;
    }

    /** The image as the original float model's input (input_layout_train). */
    public static Tensor fromImage(Tensor image, InputSpec spec) {
        return toIntermediate(toTrainingSpace(image, spec), spec);
    }

    /** A training-space sample as the original float model's input (input_layout_train). */
    public static Tensor toIntermediate(Tensor sample, InputSpec spec) {
        return toIntermediate(sample, spec, spec.layoutTrain());
    }

    /** A training-space sample (pixel values of input_type_train, any numeric type) as the int8 intermediate input. */
    public static Tensor toIntermediate(Tensor sample, InputSpec spec, Layout intermediateLayout) {
        if (!InputSpecs.isImage(spec)) {
            return sample.castTo(DType.FLOAT);
        }
        Pixels in = checkImage(sample, spec, spec.layoutTrain(), "training-space sample");
        ColorMatrices.Affine toYuv = ColorMatrices.rgbToYuv(InputSpecs.colorRange(spec));
        if (spec.typeTrain() == InputType.BGR) {
            toYuv = toYuv.reorderInputs(ColorMatrices.REVERSE);
        }
        Step step = step(spec);
        int c = in.c;
        Tensor out = Tensor.allocate(DType.INT8, InputSpecs.permute(sample.shape(), spec.layoutTrain(), intermediateLayout));
        Pixels px = new Pixels(out.shape(), intermediateLayout);
        byte[][] planes = new byte[c][in.h * in.w];
        double[] t = new double[c];
        for (int n = 0; n < in.n; n++) {
            for (int y = 0; y < in.h; y++) {
                for (int x = 0; x < in.w; x++) {
                    for (int k = 0; k < c; k++) {
                        t[k] = sample.getDouble(in.index(n, k, y, x));
                    }
                    for (int k = 0; k < c; k++) {
                        double v;
                        if (step == Step.YUV) {
                            v = toYuv.apply(k, t[0], t[1], t[2]);
                        } else if (step == Step.REVERSE) {
                            v = t[c - 1 - k];
                        } else {
                            v = t[k];
                        }
                        planes[k][y * in.w + x] = (byte) pixel(v);
                    }
                }
            }
            if (spec.typeRt() == InputType.NV12) {
                Nv12.roundTripChroma(planes[1], planes[2], in.h, in.w);
            }
            for (int k = 0; k < c; k++) {
                for (int i = 0; i < in.h * in.w; i++) {
                    out.setLong(px.index(n, k, i / in.w, i % in.w), (planes[k][i] & 0xff) - IntermediateType.PIXEL_OFFSET);
                }
            }
        }
        return out;
    }

    /** The normalized float32 input the source model expects, from an intermediate input in input_layout_train. */
    public static Tensor sourceModelInput(Tensor intermediate, InputSpec spec) {
        return sourceModelInput(intermediate, spec, spec.layoutTrain());
    }

    /** The normalized float32 input (input_layout_train) the source model expects for an intermediate input. */
    public static Tensor sourceModelInput(Tensor intermediate, InputSpec spec, Layout intermediateLayout) {
        if (!InputSpecs.isImage(spec)) {
            return intermediate.castTo(DType.FLOAT);
        }
        if (intermediate.dtype() != DType.INT8) {
            throw new KilnException("input '" + spec.name() + "': the intermediate input ("
                    + InputSpecs.intermediateType(spec).displayName() + ") is int8, got " + intermediate.dtype());
        }
        Pixels in = checkImage(intermediate, spec, intermediateLayout, "intermediate input");
        ColorMatrices.Affine toRgb = ColorMatrices.yuvToRgb(InputSpecs.colorRange(spec));
        if (spec.typeTrain() == InputType.BGR) {
            toRgb = toRgb.reorderOutputs(ColorMatrices.REVERSE);
        }
        Step step = step(spec);
        float[] mean = InputSpecs.mean(spec);
        float[] scale = InputSpecs.scale(spec);
        int c = in.c;
        Tensor out = Tensor.allocate(DType.FLOAT,
                InputSpecs.permute(intermediate.shape(), intermediateLayout, spec.layoutTrain()));
        Pixels px = new Pixels(out.shape(), spec.layoutTrain());
        double[] p = new double[c];
        for (int n = 0; n < in.n; n++) {
            for (int y = 0; y < in.h; y++) {
                for (int x = 0; x < in.w; x++) {
                    for (int k = 0; k < c; k++) {
                        p[k] = intermediate.getDouble(in.index(n, k, y, x)) + IntermediateType.PIXEL_OFFSET;
                    }
                    for (int k = 0; k < c; k++) {
                        double v;
                        if (step == Step.YUV) {
                            v = toRgb.apply(k, p[0], p[1], p[2]);
                        } else if (step == Step.REVERSE) {
                            v = p[c - 1 - k];
                        } else {
                            v = p[k];
                        }
                        if (mean != null) {
                            v -= mean[k];
                        }
                        if (scale != null) {
                            v *= scale[k];
                        }
                        out.setDouble(px.index(n, k, y, x), v);
                    }
                }
            }
        }
        return out;
    }

    /** The colour step between the run-time and training spaces (either direction). */
    private enum Step {
        NONE, REVERSE, YUV
    }

    private static Step step(InputSpec spec) {
        InputType rt = spec.typeRt();
        InputType train = spec.typeTrain();
        boolean yuv = rt == InputType.NV12 || rt == InputType.YUV444;
        if (yuv && (train == InputType.RGB || train == InputType.BGR)) {
            return Step.YUV;
        }
        if ((rt == InputType.RGB && train == InputType.BGR) || (rt == InputType.BGR && train == InputType.RGB)) {
            return Step.REVERSE;
        }
        return Step.NONE;
    }

    private static long pixel(double v) {
        return (long) Math.max(0, Math.min(255, Math.rint(v)));
    }

    private static void requireImage(InputSpec spec) {
        if (!InputSpecs.isImage(spec)) {
            throw new KilnException("input '" + spec.name() + "' is a featuremap, not an image input");
        }
        InputSpecs.check(spec);
    }

    private static Pixels checkImage(Tensor t, InputSpec spec, Layout layout, String what) {
        requireImage(spec);
        int[] s = t.shape();
        int want = spec.typeTrain().channels();
        int axis = InputSpecs.channelAxis(layout);
        if (s.length != 4 || s[axis] != want) {
            throw new KilnException("input '" + spec.name() + "': the " + what + " has shape " + InputSpecs.shapeString(s)
                    + "; expected rank 4 with " + want + " channel(s) on axis " + axis + " (" + layout + ") for input_type_train "
                    + spec.typeTrain().key());
        }
        if (spec.shape() != null && spec.shape().length == 4) {
            int[] expected = InputSpecs.permute(spec.shape(), spec.layoutTrain(), layout);
            if (!java.util.Arrays.equals(expected, s)) {
                throw new KilnException("input '" + spec.name() + "': the " + what + " has shape " + InputSpecs.shapeString(s)
                        + ", expected " + InputSpecs.shapeString(expected) + " (input_shape in " + layout + ")");
            }
        }
        Pixels px = new Pixels(s, layout);
        if ((spec.typeRt() == InputType.NV12 || spec.typeRt() == InputType.YUV444) && (px.h % 2 != 0 || px.w % 2 != 0)) {
            throw new KilnException("input '" + spec.name() + "': input_type_rt " + spec.typeRt().key()
                    + " needs an even height and width, but the " + what + " is " + px.h + "x" + px.w);
        }
        return px;
    }

    /** Element index of (n, c, h, w) in a rank-4 tensor of the given layout. */
    private static final class Pixels {
        final int n;
        final int c;
        final int h;
        final int w;
        final boolean nhwc;

        Pixels(int[] shape, Layout layout) {
            nhwc = layout == Layout.NHWC;
            n = shape[0];
            c = nhwc ? shape[3] : shape[1];
            h = nhwc ? shape[1] : shape[2];
            w = nhwc ? shape[2] : shape[3];
        }

        int index(int in, int ic, int ih, int iw) {
            return nhwc ? ((in * h + ih) * w + iw) * c + ic : ((in * c + ic) * h + ih) * w + iw;
        }
    }
}
