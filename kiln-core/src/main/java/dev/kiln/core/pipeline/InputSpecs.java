package dev.kiln.core.pipeline;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.InputParameters.ColorRange;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.core.config.InputParameters.NormType;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * What an {@link InputSpec} implies, in one place for the preprocessing subgraph, the sample
 * conversions and the parse stage: the intermediate type, the allowed type pairs, the channel axis
 * of a layout, and the per-channel mean and scale that norm_type actually applies.
 */
public final class InputSpecs {
    private InputSpecs() {
    }

    /** The intermediate (original float model) input type of this input. */
    public static IntermediateType intermediateType(InputSpec s) {
        return IntermediateType.of(s.typeRt());
    }

    /** True for image inputs (every input_type_rt but featuremap): they get a preprocessing subgraph. */
    public static boolean isImage(InputSpec s) {
        return s.typeRt() != InputType.FEATUREMAP;
    }

    /** input_type_rt values allowed for each input_type_train (SPEC section 3). */
    public static Set<InputType> allowedRuntimeTypes(InputType train) {
        switch (train) {
            case YUV444:
                return EnumSet.of(InputType.NV12, InputType.YUV444);
            case RGB:
            case BGR:
                return EnumSet.of(InputType.NV12, InputType.YUV444, InputType.RGB, InputType.BGR);
            case GRAY:
                return EnumSet.of(InputType.GRAY);
            case FEATUREMAP:
                return EnumSet.of(InputType.FEATUREMAP);
            default:
                return EnumSet.noneOf(InputType.class);
        }
    }

    public static ColorRange colorRange(InputSpec s) {
        return s.colorRange() == null ? ColorRange.REGULAR : s.colorRange();
    }

    public static NormType normType(InputSpec s) {
        return s.normType() == null ? NormType.NO_PREPROCESS : s.normType();
    }

    /**
     * Checks what can be checked without the model: the type pair, the training layout of an
     * image input, and that norm_type has the values it needs. A featuremap takes no preprocessing,
     * so a norm_type other than no_preprocess is an error rather than silently ignored.
     */
    public static void check(InputSpec s) {
        String who = "input_parameters: input '" + s.name() + "'";
        if (s.typeTrain() == null || s.typeRt() == null) {
            throw new KilnException(who + ": input_type_train and input_type_rt are required");
        }
        if (!allowedRuntimeTypes(s.typeTrain()).contains(s.typeRt())) {
            throw new KilnException(who + ": input_type_rt " + s.typeRt().key() + " cannot feed input_type_train "
                    + s.typeTrain().key() + "; allowed: " + keys(allowedRuntimeTypes(s.typeTrain())));
        }
        if (!isImage(s)) {
            if (normType(s) != NormType.NO_PREPROCESS) {
                throw new KilnException(who + ": a featuremap input gets no preprocessing, but norm_type is "
                        + normType(s).name().toLowerCase() + "; use no_preprocess (and normalize in the model)");
            }
            return;
        }
        if (s.layoutTrain() == null) {
            throw new KilnException(who + ": input_layout_train (NCHW or NHWC) is required for an image input");
        }
        int c = s.typeTrain().channels();
        NormType norm = normType(s);
        if ((norm == NormType.DATA_MEAN_AND_SCALE || norm == NormType.DATA_MEAN)) {
            checkPerChannel(who, "mean_value", s.mean(), c, norm);
        }
        if ((norm == NormType.DATA_MEAN_AND_SCALE || norm == NormType.DATA_SCALE)) {
            checkPerChannel(who, "scale_value", s.scale(), c, norm);
        }
    }

    private static void checkPerChannel(String who, String key, float[] v, int channels, NormType norm) {
        if (v == null || v.length == 0) {
            throw new KilnException(who + ": norm_type " + norm.name().toLowerCase() + " needs " + key);
        }
        if (v.length != 1 && v.length != channels) {
            throw new KilnException(who + ": " + key + " has " + v.length + " values " + Arrays.toString(v)
                    + "; expected 1 or one per channel (" + channels + ")");
        }
    }

    /** The per-channel mean that norm_type subtracts, or null when it subtracts none. */
    public static float[] mean(InputSpec s) {
        NormType norm = normType(s);
        boolean applies = norm == NormType.DATA_MEAN_AND_SCALE || norm == NormType.DATA_MEAN;
        return applies ? perChannel(s.mean(), s.typeTrain().channels()) : null;
    }

    /** The per-channel scale that norm_type multiplies by, or null when it scales nothing. */
    public static float[] scale(InputSpec s) {
        NormType norm = normType(s);
        boolean applies = norm == NormType.DATA_MEAN_AND_SCALE || norm == NormType.DATA_SCALE;
        return applies ? perChannel(s.scale(), s.typeTrain().channels()) : null;
    }

    private static float[] perChannel(float[] v, int channels) {
        if (v.length == channels) {
            return v.clone();
        }
        float[] out = new float[channels];
        Arrays.fill(out, v[0]);
        return out;
    }

    /** The channel axis of a rank-4 image tensor. */
    public static int channelAxis(Layout layout) {
        return layout == Layout.NHWC ? 3 : 1;
    }

    /** The Transpose perm that turns a tensor in layout {@code from} into layout {@code to}. */
    public static int[] perm(Layout from, Layout to) {
        if (from == to) {
            return new int[] {0, 1, 2, 3};
        }
        return from == Layout.NHWC ? new int[] {0, 3, 1, 2} : new int[] {0, 2, 3, 1};
    }

    /** A rank-4 shape given in layout {@code from}, in layout {@code to}. */
    public static int[] permute(int[] shape, Layout from, Layout to) {
        int[] p = perm(from, to);
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            out[i] = shape[p[i]];
        }
        return out;
    }

    /** The spec with the input name and shape the parse stage resolved. */
    public static InputSpec resolved(InputSpec s, String name, int[] shape) {
        return new InputSpec(name, s.typeTrain(), s.layoutTrain(), s.typeRt(), s.layoutRt(), s.colorRange(),
                shape == null ? null : shape.clone(), s.batch(), s.normType(), s.mean(), s.scale());
    }

    /** A shape as input_shape writes it: 1x3x224x224. */
    public static String shapeString(int[] shape) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : "x").append(shape[i]);
        }
        return b.toString();
    }

    /** One line for logs and model metadata. */
    public static String describe(InputSpec s) {
        StringBuilder b = new StringBuilder();
        b.append("input_type_rt=").append(s.typeRt().key())
                .append(" intermediate=").append(intermediateType(s).displayName())
                .append(" input_type_train=").append(s.typeTrain().key());
        if (s.layoutTrain() != null) {
            b.append(" input_layout_train=").append(s.layoutTrain());
        }
        if (isImage(s)) {
            if (s.typeRt() == InputType.NV12 || s.typeRt() == InputType.YUV444) {
                b.append(" input_space_and_range=").append(colorRange(s).name().toLowerCase());
            }
            b.append(" norm_type=").append(normType(s).name().toLowerCase());
            if (mean(s) != null) {
                b.append(" mean=").append(Arrays.toString(mean(s)));
            }
            if (scale(s) != null) {
                b.append(" scale=").append(Arrays.toString(scale(s)));
            }
        }
        return b.toString();
    }

    private static String keys(Set<InputType> types) {
        StringBuilder b = new StringBuilder();
        for (InputType t : types) {
            b.append(b.length() == 0 ? "" : ", ").append(t.key());
        }
        return b.toString();
    }
}
