package dev.kiln.core.config;

import dev.kiln.core.config.InputParameters.ColorRange;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.core.config.InputParameters.NormType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static dev.kiln.core.config.PerInput.entry;

/**
 * Reads and checks the input_parameters group. Per-input values are separated by ';' in the order
 * of input_name; an empty or missing input_name means the model's single input.
 */
final class InputSection {
    static final String NAME = "input_parameters";
    static final List<String> KEYS = List.of("input_name", "input_type_train", "input_layout_train", "input_type_rt",
            "input_layout_rt", "input_space_and_range", "input_shape", "input_batch", "norm_type", "mean_value",
            "scale_value");
    static final int MAX_BATCH = 128;

    private static final Map<String, InputType> TRAIN_TYPES = new LinkedHashMap<>();
    private static final Map<String, InputType> RT_TYPES = new LinkedHashMap<>();
    private static final Map<String, Layout> LAYOUTS = Group.upperCaseNames(Layout.values());
    private static final Map<String, ColorRange> RANGES = Group.lowerCaseNames(ColorRange.values());
    private static final Map<String, NormType> NORM_TYPES = Group.lowerCaseNames(NormType.values());

    static {
        for (InputType t : List.of(InputType.RGB, InputType.BGR, InputType.YUV444, InputType.GRAY, InputType.FEATUREMAP)) {
            TRAIN_TYPES.put(t.key(), t);
        }
        for (InputType t : InputType.values()) {
            RT_TYPES.put(t.key(), t);
        }
    }

    private final Group g;
    private final List<String> names = new ArrayList<>();
    private final PerInput per;
    /** The per-input keys split into one entry per input (null: absent or malformed). */
    private String[] typeTrain, typeRt, layoutTrain, layoutRt, range, shape, norm, mean, scale;
    private int batch;
    private boolean layoutMissing;

    private InputSection(Group g) {
        this.g = g;
        this.per = new PerInput(g, names);
    }

    static InputParameters read(Group g) {
        return new InputSection(g).read();
    }

    /** The input_type_rt values a model trained on {@code train} accepts (SPEC section 4). */
    static List<InputType> acceptedRt(InputType train) {
        switch (train) {
            case YUV444: return List.of(InputType.NV12, InputType.YUV444);
            case RGB: case BGR: return List.of(InputType.NV12, InputType.YUV444, InputType.RGB, InputType.BGR);
            case GRAY: return List.of(InputType.GRAY);
            default: return List.of(InputType.FEATUREMAP);
        }
    }

    private InputParameters read() {
        readNames();
        typeTrain = per.values("input_type_train");
        typeRt = per.values("input_type_rt");
        layoutTrain = per.values("input_layout_train");
        layoutRt = per.values("input_layout_rt");
        range = per.values("input_space_and_range");
        shape = per.values("input_shape");
        norm = per.values("norm_type");
        mean = per.values("mean_value");
        scale = per.values("scale_value");
        for (String key : List.of("input_type_train", "input_type_rt")) {
            if (!g.has(key)) {
                g.error("Missing key: '" + key + "'");
            }
        }
        batch = readBatch();
        List<InputSpec> specs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            specs.add(input(i));
        }
        if (layoutMissing) {
            g.error("Missing key: 'input_layout_train' (NCHW or NHWC, as the model was trained)");
        }
        return new InputParameters(specs);
    }

    private InputSpec input(int i) {
        InputType train = required(typeTrain, i, "input_type_train", TRAIN_TYPES);
        InputType rt = required(typeRt, i, "input_type_rt", RT_TYPES);
        if (train != null && rt != null && !acceptedRt(train).contains(rt)) {
            List<String> ok = new ArrayList<>();
            for (InputType t : acceptedRt(train)) {
                ok.add(t.key());
            }
            g.error(per.where("input_type_rt", i) + ": '" + rt.key() + "' cannot feed a model trained on"
                    + " input_type_train '" + train.key() + "'; " + train.key() + " accepts " + Suggest.quoted(ok));
        }
        Layout lTrain = trainingLayout(i, train);
        Layout lRt = runtimeLayout(entry(layoutRt, i), i, rt, lTrain);
        ColorRange cr = ColorRange.REGULAR;
        String r = entry(range, i);
        if (r != null) {
            cr = g.match(per.where("input_space_and_range", i), r, RANGES);
            if (cr == ColorRange.BT601_VIDEO && rt != null && rt != InputType.NV12) {
                g.error(per.where("input_space_and_range", i) + ": bt601_video applies to input_type_rt nv12 only,"
                        + " found '" + rt.key() + "'");
            }
        }
        int[] dims = shape(entry(shape, i), i, train, rt, lTrain);

        NormType nt = normType(entry(norm, i), entry(mean, i) != null, entry(scale, i) != null, i);
        boolean featuremap = rt == InputType.FEATUREMAP || train == InputType.FEATUREMAP;
        if (nt != null && nt != NormType.NO_PREPROCESS && featuremap) {
            String key = entry(norm, i) != null ? "norm_type" : entry(mean, i) != null ? "mean_value" : "scale_value";
            g.error(per.where(key, i) + ": featuremap inputs take norm_type no_preprocess (no mean_value or"
                    + " scale_value), found " + Group.lower(nt));
            nt = null;
        }
        boolean needMean = nt == NormType.DATA_MEAN_AND_SCALE || nt == NormType.DATA_MEAN;
        boolean needScale = nt == NormType.DATA_MEAN_AND_SCALE || nt == NormType.DATA_SCALE;
        float[] m = perChannel(mean, "mean_value", i, train, nt, needMean);
        float[] s = perChannel(scale, "scale_value", i, train, nt, needScale);
        if (s != null) {
            for (float v : s) {
                if (v == 0f) {
                    g.error(per.where("scale_value", i) + ": 0 would multiply the input by zero");
                    break;
                }
            }
        }
        return new InputSpec(names.get(i), train, lTrain, rt, lRt, cr, dims, batch, nt, m, s);
    }

    /** input_layout_train: required for image inputs (a missing key is reported once, after all inputs). */
    private Layout trainingLayout(int i, InputType train) {
        String lt = entry(layoutTrain, i);
        if (lt != null) {
            return g.match(per.where("input_layout_train", i), lt, LAYOUTS);
        }
        if (train != null && train != InputType.FEATUREMAP) {
            if (!g.has("input_layout_train")) {
                layoutMissing = true;
            } else if (layoutTrain != null) {
                g.error(per.where("input_layout_train", i) + " is empty: input_type_train " + train.key()
                        + " needs NCHW or NHWC");
            }
        }
        return null;
    }

    private void readNames() {
        String s = g.text("input_name");
        if (s == null || s.isEmpty()) {
            names.add("");
            return;
        }
        List<String> parts = new ArrayList<>(Arrays.asList(s.split(";", -1)));
        if (parts.size() > 1 && parts.get(parts.size() - 1).trim().isEmpty()) {
            parts.remove(parts.size() - 1);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < parts.size(); i++) {
            String name = parts.get(i).trim();
            if (name.isEmpty()) {
                g.error("'input_name': entry " + (i + 1) + " of '" + s + "' is empty");
            } else if (!seen.add(name)) {
                g.error("'input_name': '" + name + "' is given twice");
            }
            names.add(name);
        }
    }

    private <E> E required(String[] values, int i, String key, Map<String, E> options) {
        String e = entry(values, i);
        if (e == null) {
            if (values != null) {
                g.error(per.where(key, i) + " is empty");
            }
            return null;
        }
        return g.match(per.where(key, i), e, options);
    }

    /** input_layout_rt: ignored for nv12; when absent NHWC for rgb/bgr/yuv444, NCHW for gray, input_layout_train for featuremap. */
    private Layout runtimeLayout(String given, int i, InputType rt, Layout train) {
        if (rt == InputType.NV12) {
            if (given != null) {
                g.warn("input_layout_rt", per.prefix(i)
                        + "ignored for input_type_rt nv12 (nv12 has no layout)");
            }
            return null;
        }
        if (given != null) {
            return g.match(per.where("input_layout_rt", i), given, LAYOUTS);
        }
        if (rt == null) {
            return null;
        }
        switch (rt) {
            case GRAY: return Layout.NCHW;
            case FEATUREMAP: return train != null ? train : Layout.NCHW;
            default: return Layout.NHWC;
        }
    }

    private int readBatch() {
        String s = g.text("input_batch");
        if (s == null || s.isEmpty()) {
            return 1;
        }
        if (s.contains(";")) {
            g.error("'input_batch': takes one value for the whole model, found '" + s + "'");
            return 1;
        }
        Long b = g.integer("input_batch");
        if (b == null) {
            return 1;
        }
        if (b < 1 || b > MAX_BATCH) {
            g.error("'input_batch': " + b + " is out of range; expected 1 to " + MAX_BATCH);
            return 1;
        }
        return (int) (long) b;
    }

    /** input_shape: 1x3x224x224, dimensions > 0; image inputs 4-D with the channels of their type. */
    private int[] shape(String text, int i, InputType train, InputType rt, Layout layout) {
        if (text == null) {
            return null;
        }
        String w = per.where("input_shape", i);
        String[] parts = text.toLowerCase(Locale.ROOT).split("x", -1);
        int[] dims = new int[parts.length];
        for (int k = 0; k < parts.length; k++) {
            try {
                dims[k] = Integer.parseInt(parts[k].trim());
            } catch (NumberFormatException e) {
                g.error(w + ": '" + text + "' is not of the form 1x3x224x224");
                return null;
            }
            if (dims[k] <= 0) {
                g.error(w + ": '" + text + "' has dimension " + dims[k] + " at position " + k
                        + "; every dimension must be greater than 0");
                return null;
            }
        }
        if (batch != 1 && dims[0] != 1) {
            g.error("'input_batch': needs input_shape with batch 1, found '" + text + "'"
                    + (names.get(i).isEmpty() ? "" : " for input '" + names.get(i) + "'"));
        }
        if (train == null || train == InputType.FEATUREMAP) {
            return dims;
        }
        if (dims.length != 4) {
            g.error(w + ": '" + text + "' has " + dims.length + " dimensions; input_type_train " + train.key()
                    + " needs 4 (N, C, H, W in input_layout_train order) or input_type_train featuremap");
            return null;
        }
        if (layout == null) {
            return dims;
        }
        boolean nchw = layout == Layout.NCHW;
        int c = nchw ? dims[1] : dims[3];
        int expected = train.channels();
        if (c != expected) {
            int other = nchw ? dims[3] : dims[1];
            g.error(w + ": '" + text + "' has " + c + " channels in " + layout + " order; input_type_train " + train.key()
                    + " has " + expected + (other == expected ? " (the shape looks " + (nchw ? "NHWC" : "NCHW")
                    + ": check input_layout_train)" : ""));
            return dims;
        }
        int h = nchw ? dims[2] : dims[1];
        int wd = nchw ? dims[3] : dims[2];
        if ((rt == InputType.NV12 || rt == InputType.YUV444) && (h % 2 != 0 || wd % 2 != 0)) {
            g.error(w + ": '" + text + "' has odd " + (h % 2 != 0 ? "height " + h : "width " + wd) + "; input_type_rt "
                    + rt.key() + " needs even height and width");
        }
        return dims;
    }

    /** norm_type as given, else what mean_value/scale_value imply (none: no_preprocess). */
    private NormType normType(String given, boolean hasMean, boolean hasScale, int i) {
        if (given != null) {
            return g.match(per.where("norm_type", i), given, NORM_TYPES);
        }
        if (hasMean && hasScale) {
            return NormType.DATA_MEAN_AND_SCALE;
        }
        return hasMean ? NormType.DATA_MEAN : hasScale ? NormType.DATA_SCALE : NormType.NO_PREPROCESS;
    }

    /**
     * mean_value or scale_value of one input: numbers separated by spaces (or commas), one, or one per
     * channel of input_type_train; a single value is repeated per channel. A value the norm_type
     * does not use is ignored with a warning (real configurations carry such values).
     */
    private float[] perChannel(String[] values, String key, int i, InputType train, NormType nt, boolean needed) {
        String text = entry(values, i);
        if (nt == null || values == null && g.has(key)) {
            return null; // nothing to check, or the key is malformed (reported)
        }
        if (text == null) {
            if (needed) {
                g.error((g.has(key) ? per.where(key, i) + " is empty" : "Missing key: '" + key + "'") + " (norm_type "
                        + Group.lower(nt) + " needs it)");
            }
            return null;
        }
        if (!needed) {
            g.warn(key, per.prefix(i) + "'" + text
                    + "' ignored: norm_type " + Group.lower(nt) + " does not use it");
            return null;
        }
        String[] parts = text.trim().split("[\\s,]+");
        float[] v = new float[parts.length];
        for (int k = 0; k < parts.length; k++) {
            Double d = Group.parseNumber(parts[k]);
            if (d == null) {
                g.error(per.where(key, i) + ": '" + parts[k] + "' is not a number (in '" + text + "')");
                return null;
            }
            v[k] = (float) (double) d;
        }
        int channels = train == null ? -1 : train.channels();
        if (channels > 0 && v.length != 1 && v.length != channels) {
            g.error(per.where(key, i) + ": " + v.length + " values in '" + text + "', expected "
                    + (channels == 1 ? "1 (input_type_train " + train.key() + " has one channel)"
                    : "1 or " + channels + " (one per channel of input_type_train " + train.key() + ")"));
            return null;
        }
        if (channels > 0 && v.length == 1 && channels > 1) {
            float[] all = new float[channels];
            Arrays.fill(all, v[0]);
            return all;
        }
        return v;
    }

}
