package dev.kiln.core.io.caffe;

import dev.kiln.core.KilnException;
import dev.kiln.core.Version;
import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.IrVerifier;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.ops.TypeInference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Converts a Caffe network (prototxt + caffemodel) into Kiln's IR at ONNX opset 13, ready to be
 * written as {@code original_float_model.onnx} (SPEC section 1).
 *
 * <ul>
 * <li>The TEST-phase network is converted: layers whose include/exclude rules leave them out of
 *     TEST are skipped, and so are data, loss, accuracy and Silence layers (with a warning).</li>
 * <li>Inputs are the Input layers (the reader turns the legacy input/input_dim/input_shape fields
 *     into one); a MemoryData layer also declares an input.</li>
 * <li>Outputs are the blobs no later layer reads, in the order they were produced.</li>
 * <li>A layer type without a converter stops the import with {@code Not support layer name=<name>
 *     type=<type>}.</li>
 * </ul>
 */
public final class CaffeImporter {
    /** Layer types that only matter for training or data feeding; they are dropped. */
    private static final Set<String> TRAINING_ONLY = Set.of("Data", "ImageData", "HDF5Data", "HDF5Output", "WindowData",
            "DummyData", "AnnotatedData", "VideoData", "Accuracy", "Silence", "SoftmaxWithLoss",
            "EuclideanLoss", "HingeLoss", "InfogainLoss", "MultinomialLogisticLoss", "SigmoidCrossEntropyLoss",
            "ContrastiveLoss", "MultiBoxLoss", "SmoothL1Loss", "DetectionEvaluate");

    private CaffeImporter() {
    }

    /**
     * Reads and converts a prototxt and its caffemodel; warnings receives what was skipped or
     * adjusted. inputShapes replaces input shapes by input name ("" names the network's only input).
     */
    public static Model load(Path prototxt, Path caffemodel, Map<String, int[]> inputShapes, Consumer<String> warnings) {
        CaffeFiles files = CaffeReader.read(prototxt, caffemodel, warnings);
        return convert(files.net(), files.blobs(), inputShapes, warnings);
    }

    /** Reads and converts with the prototxt's input shapes. */
    public static Model load(Path prototxt, Path caffemodel, Consumer<String> warnings) {
        return load(prototxt, caffemodel, Map.of(), warnings);
    }

    /** Converts an already read network (V2 form, Input layers) with its parameter blobs by layer name. */
    public static Model convert(CaffeNet.NetParameter net, Map<String, List<CaffeNet.BlobProto>> blobs,
                                Consumer<String> warnings) {
        return convert(net, blobs, Map.of(), warnings);
    }

    /**
     * As {@link #convert(CaffeNet.NetParameter, Map, Consumer)}, with input shapes that replace the
     * prototxt's (by input name); a name that is not an input is an error.
     */
    public static Model convert(CaffeNet.NetParameter net, Map<String, List<CaffeNet.BlobProto>> blobs,
                                Map<String, int[]> inputShapes, Consumer<String> warnings) {
        inputShapes = resolveUnnamed(net, inputShapes);
        Graph g = new Graph(net.getName().isEmpty() ? "caffe_net" : net.getName());
        Model m = new Model(g);
        m.opsets().put("", (long) Model.DEFAULT_OPSET);
        m.setProducerName("kiln");
        m.setProducerVersion(Version.get());
        m.metadata().put("kiln.source_format", "caffe");
        CaffeContext ctx = new CaffeContext(m, blobs, inputShapes, warnings);
        Set<Value> read = Collections.newSetFromMap(new IdentityHashMap<>());
        List<String> produced = new ArrayList<>();
        for (CaffeNet.LayerParameter layer : net.getLayerList()) {
            if (!inTestPhase(layer)) {
                continue;
            }
            String type = layer.getType();
            if (TRAINING_ONLY.contains(type)) {
                warnings.accept("layer '" + layer.getName() + "' (" + type + ") is for training or data feeding; it is left out");
                continue;
            }
            LayerConverter c = CaffeLayers.find(type);
            if (c == null) {
                throw new KilnException("Not support layer name=" + layer.getName() + " type=" + type);
            }
            ctx.begin(layer);
            List<Value> bottoms = new ArrayList<>();
            for (int i = 0; i < layer.getBottomCount(); i++) {
                bottoms.add(ctx.bottom(i));
            }
            c.convert(ctx);
            ctx.end();
            List<Value> tops = new ArrayList<>();
            for (int i = 0; i < layer.getTopCount(); i++) {
                Value v = ctx.blob(layer.getTop(i));
                if (v == null) {
                    throw ctx.error("top '" + layer.getTop(i) + "' was not produced");
                }
                tops.add(v);
            }
            produced.addAll(layer.getTopList());
            // a layer that passes a bottom through as a top (Split, Dropout) does not consume it
            for (Value b : bottoms) {
                if (!tops.contains(b)) {
                    read.add(b);
                }
            }
        }
        for (String name : inputShapes.keySet()) {
            if (g.localValue(name) == null || !g.inputs().contains(g.localValue(name))) {
                throw new KilnException("an input shape is given for '" + name + "', which is not an input of the Caffe "
                        + "network (its inputs: " + g.inputs().stream().map(Value::name).toList() + ")");
            }
        }
        if (g.inputs().isEmpty()) {
            throw new KilnException("the Caffe network declares no input: give it an Input layer or the input and "
                    + "input_shape (or input_dim) fields, as deploy prototxts do");
        }
        Set<Value> outputs = new LinkedHashSet<>();
        for (String blob : produced) {
            Value v = ctx.blob(blob);
            if (read.contains(v) || outputs.contains(v)) {
                continue;
            }
            if (v.isGraphInput()) {
                // a network that passes an input straight through (Dropout, Split at the end)
                String name = g.localValue(blob) == null ? blob : g.uniqueName(blob);
                v = g.addNode(g.uniqueName(blob), "Identity", "", new Attributes(), List.of(v),
                        List.of(name)).output(0);
            }
            outputs.add(v);
        }
        for (Value v : outputs) {
            g.addOutput(v);
        }
        TypeInference.run(m);
        IrVerifier.verify(g);
        return m;
    }

    /** Replaces the key "" by the name of the network's only input. */
    private static Map<String, int[]> resolveUnnamed(CaffeNet.NetParameter net, Map<String, int[]> shapes) {
        if (!shapes.containsKey("")) {
            return shapes;
        }
        List<String> inputs = new ArrayList<>();
        for (CaffeNet.LayerParameter l : net.getLayerList()) {
            if (l.getType().equals("Input") && inTestPhase(l)) {
                inputs.addAll(l.getTopList());
            }
        }
        if (inputs.size() != 1) {
            throw new KilnException("an input shape is given without an input name, but the Caffe network has "
                    + inputs.size() + " inputs " + inputs + "; name the input");
        }
        Map<String, int[]> out = new HashMap<>(shapes);
        out.put(inputs.get(0), out.remove(""));
        return out;
    }

    /** True when the layer belongs to the TEST-phase network (Caffe's NetStateRule for phase TEST, level 0). */
    static boolean inTestPhase(CaffeNet.LayerParameter layer) {
        if (layer.hasPhase() && layer.getPhase() == CaffeNet.Phase.TRAIN) {
            return false;
        }
        if (layer.getIncludeCount() > 0) {
            for (CaffeNet.NetStateRule r : layer.getIncludeList()) {
                if (meetsTest(r)) {
                    return true;
                }
            }
            return false;
        }
        for (CaffeNet.NetStateRule r : layer.getExcludeList()) {
            if (meetsTest(r)) {
                return false;
            }
        }
        return true;
    }

    private static boolean meetsTest(CaffeNet.NetStateRule r) {
        if (r.hasPhase() && r.getPhase() != CaffeNet.Phase.TEST) {
            return false;
        }
        if (r.hasMinLevel() && r.getMinLevel() > 0 || r.hasMaxLevel() && r.getMaxLevel() < 0) {
            return false;
        }
        return r.getStageCount() == 0;
    }
}
