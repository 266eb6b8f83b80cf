package dev.kiln.core.pipeline;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.InputParameters.ColorRange;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts the preprocessing subgraph {@code PREPROCESS_FOR_<input>} in front of an image input (SPEC
 * section 4), from standard ONNX operators only so that ONNX Runtime runs the result.
 *
 * <p>Before: {@code input: float32 [training shape, input_layout_train] -> model}.
 * <br>After: {@code input: int8 [intermediate layout] -> Cast(float) -> Add(128) -> colour -> Sub(mean)
 * -> Mul(scale) -> Transpose -> model}, where
 * <ul>
 * <li>the graph input keeps its name and its place in the input list; it now holds the
 *     intermediate type (pixel - 128 as int8: yuv444_128, RGB_128, BGR_128, GRAY_128);</li>
 * <li>colour: YUV → RGB/BGR is a 1x1 {@code Conv} (NCHW) or a {@code MatMul} + {@code Add} (NHWC) with
 *     the BT.601 matrix of {@link ColorMatrices} (full or video range); RGB ↔ BGR is a
 *     {@code Gather} of channels 2, 1, 0; nothing when the run-time and training colour spaces are
 *     the same (yuv444 ← nv12 included: the nv12 → yuv444 chroma upsampling is the device's);</li>
 * <li>Sub and Mul appear only when norm_type applies a mean or a scale (per channel, broadcast on
 *     the channel axis); no_preprocess with equal types leaves just Cast and Add;</li>
 * <li>the Transpose appears only when the intermediate layout differs from input_layout_train.</li>
 * </ul>
 * Every node and constant is named {@code PREPROCESS_FOR_<input>/<step>} and carries a doc string
 * saying what it does.
 */
public final class InsertPreprocess {
    /** The name prefix of every preprocessing node. */
    public static final String PREFIX = "PREPROCESS_FOR_";

    private final Graph g;
    private final String prefix;
    private final Node anchor;
    private final List<Node> added = new ArrayList<>();

    private InsertPreprocess(Graph g, String inputName) {
        this.g = g;
        this.prefix = subgraphName(inputName);
        this.anchor = g.nodes().isEmpty() ? null : g.nodes().get(0);
    }

    /** {@code PREPROCESS_FOR_<input>}: the name of an input's preprocessing subgraph. */
    public static String subgraphName(String inputName) {
        return PREFIX + inputName;
    }

    /** True for a node of a preprocessing subgraph. */
    public static boolean isPreprocessNode(Node n) {
        return n.name().startsWith(PREFIX);
    }

    /**
     * Inserts the preprocessing of {@code spec} in front of graph input {@code input}, whose type must
     * be a static float32 rank-4 image in input_layout_train with the channels of input_type_train.
     * The input's type becomes the int8 intermediate type in {@code intermediateLayout} (the parse stage
     * passes input_layout_train, so the layout step is empty there). Returns the nodes added, in order.
     */
    public static List<Node> apply(Graph g, Value input, InputSpec spec, Layout intermediateLayout) {
        if (!InputSpecs.isImage(spec)) {
            throw new IllegalArgumentException("input '" + input.name() + "' is a featuremap: it has no preprocessing");
        }
        InputSpecs.check(spec);
        TensorType t = input.type();
        int axis = InputSpecs.channelAxis(spec.layoutTrain());
        int channels = spec.typeTrain().channels();
        if (t.dtype() != DType.FLOAT || !t.isStatic() || t.rank() != 4 || t.shape()[axis] != channels) {
            throw new KilnException("input '" + input.name() + "': the preprocessing for input_type_train "
                    + spec.typeTrain().key() + " (" + spec.layoutTrain() + ") needs a static float32 rank-4 input with "
                    + channels + " channel(s) on axis " + axis + ", but the input is " + t);
        }
        List<Value.Use> uses = new ArrayList<>(input.uses());
        boolean isOutput = g.outputs().contains(input);
        input.setType(TensorType.of(DType.INT8, InputSpecs.permute(t.shape(), spec.layoutTrain(), intermediateLayout)));

        InsertPreprocess b = new InsertPreprocess(g, input.name());
        Value x = b.build(input, spec, intermediateLayout);
        for (Value.Use u : uses) {
            u.node().setInput(u.index(), x);
        }
        if (isOutput) {
            for (int i = 0; i < g.outputs().size(); i++) {
                if (g.outputs().get(i) == input) {
                    g.setOutput(i, x);
                }
            }
        }
        return b.added;
    }

    private Value build(Value input, InputSpec spec, Layout layout) {
        int axis = InputSpecs.channelAxis(layout);
        Value x = node("cast", "Cast", List.of(input), "int8 intermediate to float32",
                Attribute.of("to", (long) DType.FLOAT.onnxCode()));
        x = node("offset", "Add", List.of(x, constant("offset_value", Tensor.scalar(IntermediateType.PIXEL_OFFSET))),
                "undo the intermediate offset: pixel = value + " + IntermediateType.PIXEL_OFFSET);
        x = color(x, spec, layout, axis);
        float[] mean = InputSpecs.mean(spec);
        if (mean != null) {
            x = node("mean", "Sub", List.of(x, constant("mean_value", perChannel(mean, layout))),
                    "subtract mean_value per channel");
        }
        float[] scale = InputSpecs.scale(spec);
        if (scale != null) {
            x = node("scale", "Mul", List.of(x, constant("scale_value", perChannel(scale, layout))),
                    "multiply by scale_value per channel");
        }
        if (layout != spec.layoutTrain()) {
            long[] perm = toLongs(InputSpecs.perm(layout, spec.layoutTrain()));
            x = node("layout", "Transpose", List.of(x), layout + " to input_layout_train " + spec.layoutTrain(),
                    Attribute.of("perm", perm));
        }
        return x;
    }

    private Value color(Value x, InputSpec spec, Layout layout, int axis) {
        InputType rt = spec.typeRt();
        InputType train = spec.typeTrain();
        boolean yuvIn = rt == InputType.NV12 || rt == InputType.YUV444;
        boolean rgbOut = train == InputType.RGB || train == InputType.BGR;
        if (yuvIn && rgbOut) {
            ColorMatrices.Affine a = ColorMatrices.yuvToRgb(InputSpecs.colorRange(spec));
            if (train == InputType.BGR) {
                a = a.reorderOutputs(ColorMatrices.REVERSE);
            }
            String what = "YUV444 to " + train.key().toUpperCase() + ", BT.601 "
                    + (InputSpecs.colorRange(spec) == ColorRange.BT601_VIDEO
                    ? "video range (Y 16-235, UV 16-240)" : "full range");
            return affine(x, a, layout, what);
        }
        if ((rt == InputType.RGB && train == InputType.BGR) || (rt == InputType.BGR && train == InputType.RGB)) {
            Value idx = constant("channel_order", Tensor.vector(2, 1, 0));
            return node("color", "Gather", List.of(x, idx), rt.key() + " to " + train.key() + ": reverse the channels",
                    Attribute.of("axis", (long) axis));
        }
        return x;
    }

    /** out[c] = sum_k m[c][k] x[k] + offset[c] on the channel axis. */
    private Value affine(Value x, ColorMatrices.Affine a, Layout layout, String what) {
        float[] bias = new float[3];
        for (int o = 0; o < 3; o++) {
            bias[o] = (float) a.offset()[o];
        }
        if (layout == Layout.NCHW) {
            float[] w = new float[9];
            for (int o = 0; o < 3; o++) {
                for (int i = 0; i < 3; i++) {
                    w[o * 3 + i] = (float) a.m()[o][i];
                }
            }
            Value wv = constant("color_weight", Tensor.of(w, 3, 3, 1, 1));
            Value bv = constant("color_bias", Tensor.of(bias, 3));
            return node("color", "Conv", List.of(x, wv, bv), what + " as a 1x1 convolution",
                    Attribute.of("kernel_shape", new long[] {1, 1}));
        }
        float[] wt = new float[9];
        for (int i = 0; i < 3; i++) {
            for (int o = 0; o < 3; o++) {
                wt[i * 3 + o] = (float) a.m()[o][i];
            }
        }
        Value y = node("color", "MatMul", List.of(x, constant("color_weight", Tensor.of(wt, 3, 3))),
                what + " on the last axis (matrix transposed)");
        return node("color_offset", "Add", List.of(y, constant("color_bias", Tensor.of(bias, 3))),
                what + ": offset");
    }

    private static Tensor perChannel(float[] v, Layout layout) {
        return layout == Layout.NCHW ? Tensor.of(v.clone(), 1, v.length, 1, 1) : Tensor.of(v.clone(), 1, 1, 1, v.length);
    }

    private Value constant(String step, Tensor t) {
        return g.addConstant(prefix + "/" + step, new ConstTensor(t));
    }

    private Value node(String step, String opType, List<Value> inputs, String doc, Attribute... attrs) {
        Attributes a = new Attributes();
        for (Attribute at : attrs) {
            a.put(at);
        }
        String name = g.uniqueName(prefix + "/" + step);
        Node n = g.insertNodeBefore(anchor, name, opType, a, inputs, List.of(g.uniqueName(name + "_out")));
        n.setDocString(doc);
        added.add(n);
        return n.output(0);
    }

    private static long[] toLongs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
