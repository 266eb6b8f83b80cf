package dev.kiln.core.config;

import dev.kiln.core.config.ModelParameters.DebugMode;
import dev.kiln.core.config.ModelParameters.NodeInfo;
import dev.kiln.core.config.ModelParameters.Placement;
import dev.kiln.core.config.ModelParameters.QuantType;
import dev.kiln.core.config.YamlTree.Scalar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and checks the model_parameters group. */
final class ModelSection {
    static final String NAME = "model_parameters";
    static final List<String> KEYS = List.of("onnx_model", "prototxt", "caffe_model", "march", "output_model_file_prefix",
            "working_dir", "layer_out_dump", "output_nodes", "remove_node_type", "remove_node_name", "debug_mode",
            "node_info", "set_node_data_type", "log_level");
    static final String DEFAULT_WORKING_DIR = "model_output";

    /** Node types kiln modify (and remove_node_type) may take off the head or tail of a model. */
    static final Map<String, String> REMOVABLE_TYPES = new LinkedHashMap<>();

    private static final Map<String, March> MARCHES = new LinkedHashMap<>();
    private static final Map<String, Placement> PLACEMENTS = Group.upperCaseNames(Placement.values());
    private static final Map<String, QuantType> QUANT_TYPES = new LinkedHashMap<>();
    private static final Map<String, DebugMode> DEBUG_MODES = Group.lowerCaseNames(DebugMode.values());
    private static final List<String> NODE_INFO_KEYS = List.of("ON", "InputType", "OutputType");

    static {
        for (String t : List.of("Quantize", "Dequantize", "Transpose", "Cast", "Reshape", "Softmax")) {
            REMOVABLE_TYPES.put(t, t);
        }
        for (March m : March.values()) {
            MARCHES.put(m.key(), m);
        }
        QUANT_TYPES.put("int8", QuantType.INT8);
        QUANT_TYPES.put("int16", QuantType.INT16);
    }

    private ModelSection() {
    }

    /** @param type the --model-type; null takes it from the keys given (onnx_model: ONNX, else Caffe) */
    static ModelParameters read(Group g, ModelType type) {
        if (type == null) {
            type = g.has("onnx_model") || !g.has("prototxt") && !g.has("caffe_model") ? ModelType.ONNX : ModelType.CAFFE;
        }
        Path onnx = null;
        Path prototxt = null;
        Path caffe = null;
        if (type == ModelType.ONNX) {
            missing(g, List.of("onnx_model"));
            foreign(g, List.of("caffe_model", "prototxt"), "onnx", "onnx_model");
            onnx = modelFile(g, "onnx_model");
        } else {
            missing(g, List.of("caffe_model", "prototxt"));
            foreign(g, List.of("onnx_model"), "caffe", "prototxt and caffe_model");
            prototxt = modelFile(g, "prototxt");
            caffe = modelFile(g, "caffe_model");
        }

        String marchText = g.required("march");
        March march = marchText == null ? null : g.match("'march'", marchText, MARCHES);

        String prefix = g.required("output_model_file_prefix");
        if (prefix != null && (prefix.contains("/") || prefix.contains("\\"))) {
            g.error("'output_model_file_prefix': '" + prefix + "' contains a path separator;"
                    + " the artefacts go to working_dir, give the directory there");
            prefix = null;
        }
        String wd = g.text("working_dir");
        Path workingDir = g.resolve(wd == null || wd.isEmpty() ? DEFAULT_WORKING_DIR : wd);
        boolean layerOutDump = g.bool("layer_out_dump", false);

        List<String> outputNodes = g.names("output_nodes");
        List<String> removeTypes = new ArrayList<>();
        for (String t : g.names("remove_node_type")) {
            String canonical = g.match("'remove_node_type'", t, REMOVABLE_TYPES);
            if (canonical != null) {
                removeTypes.add(canonical);
            }
        }
        List<String> removeNames = g.names("remove_node_name");
        Set<DebugMode> debugModes = EnumSet.noneOf(DebugMode.class);
        for (String d : g.names("debug_mode")) {
            DebugMode m = g.match("'debug_mode'", d, DEBUG_MODES);
            if (m != null) {
                debugModes.add(m);
            }
        }
        if (g.has("log_level")) {
            g.warn("log_level", "deprecated and ignored: the console shows INFO, the log file DEBUG");
        }

        Map<String, NodeInfo> nodeInfo = new LinkedHashMap<>();
        if (g.has("set_node_data_type")) {
            g.warn("set_node_data_type", "deprecated: use node_info"
                    + (g.has("node_info") ? " (node_info takes precedence where both name a node)" : ""));
            nodeInfo = nodeInfo(g, "set_node_data_type");
        }
        for (Map.Entry<String, NodeInfo> e : nodeInfo(g, "node_info").entrySet()) {
            nodeInfo.merge(e.getKey(), e.getValue(), ModelSection::override);
        }
        return new ModelParameters(onnx, prototxt, caffe, march, prefix, workingDir, layerOutDump, outputNodes, removeTypes,
                removeNames, debugModes, nodeInfo);
    }

    /** Missing keys: 'caffe_model', 'prototxt' (hb_mapper's wording). */
    private static void missing(Group g, List<String> keys) {
        List<String> absent = new ArrayList<>();
        for (String k : keys) {
            if (!g.has(k)) {
                absent.add(k);
            }
        }
        if (!absent.isEmpty()) {
            g.error((absent.size() == 1 ? "Missing key: " : "Missing keys: ") + Suggest.quoted(absent));
        }
    }

    /** Keys of the other model form: exactly one form is allowed, the one --model-type names. */
    private static void foreign(Group g, List<String> keys, String type, String expected) {
        List<String> given = new ArrayList<>();
        for (String k : keys) {
            if (g.has(k)) {
                given.add(k);
            }
        }
        if (!given.isEmpty()) {
            g.error("Wrong key" + (given.size() == 1 ? " " : "s ") + Suggest.quoted(given) + ": --model-type " + type
                    + " takes " + expected + " only");
        }
    }

    private static Path modelFile(Group g, String key) {
        String s = g.text(key);
        if (s == null) {
            return null;
        }
        if (s.isEmpty()) {
            g.error("'" + key + "' is empty");
            return null;
        }
        Path p = g.resolve(s);
        if (Files.isDirectory(p)) {
            g.error("'" + key + "': " + p + " is a directory, not a model file");
        } else if (!Files.isRegularFile(p)) {
            g.error("'" + key + "': file not found: " + p);
        }
        return p;
    }

    /**
     * node_info as a mapping {@code {node: {'ON': 'BPU', 'InputType': 'int16', 'OutputType': 'int16'}}}
     * (flow or block style, any key may be left out, {} and trailing commas allowed), or the
     * short string form {@code node1:int16;node2:int8} which sets OutputType.
     */
    private static Map<String, NodeInfo> nodeInfo(Group g, String key) {
        Map<String, NodeInfo> out = new LinkedHashMap<>();
        Object v = g.raw(key);
        if (v == null) {
            return out;
        }
        if (v instanceof Scalar) {
            for (String item : ((Scalar) v).text().split(";")) {
                if (item.trim().isEmpty()) {
                    continue;
                }
                int colon = item.lastIndexOf(':');
                if (colon <= 0) {
                    g.error("'" + key + "': '" + item.trim() + "' is not of the form node_name:int16"
                            + " (or use {node_name: {'OutputType': 'int16'}})");
                    continue;
                }
                String node = item.substring(0, colon).trim();
                QuantType t = g.match("'" + key + "' of node '" + node + "'", item.substring(colon + 1).trim(), QUANT_TYPES);
                out.merge(node, new NodeInfo(null, null, t), ModelSection::override);
            }
            return out;
        }
        if (!(v instanceof Map)) {
            g.error("'" + key + "': expected a mapping {node_name: {'ON': 'BPU', 'InputType': 'int16',"
                    + " 'OutputType': 'int16'}}, found " + YamlTree.kind(v));
            return out;
        }
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
            String node = (String) e.getKey();
            Object spec = e.getValue();
            String where = "'" + key + "' of node '" + node + "'";
            if (spec == null) {
                out.put(node, new NodeInfo(null, null, null));
                continue;
            }
            if (!(spec instanceof Map)) {
                g.error(where + ": expected a mapping like {'ON': 'BPU', 'InputType': 'int16', 'OutputType': 'int16'},"
                        + " found " + YamlTree.kind(spec));
                continue;
            }
            Placement on = null;
            QuantType in = null;
            QuantType outType = null;
            for (Map.Entry<?, ?> f : ((Map<?, ?>) spec).entrySet()) {
                String field = (String) f.getKey();
                String fieldWhere = where + " key '" + field + "'";
                if (!(f.getValue() instanceof Scalar)) {
                    if (NODE_INFO_KEYS.contains(field)) {
                        g.error(fieldWhere + ": expected a single value, found " + YamlTree.kind(f.getValue()));
                    }
                }
                String value = f.getValue() instanceof Scalar ? ((Scalar) f.getValue()).text().trim() : null;
                if (field.equals("ON")) {
                    on = value == null ? null : g.match(fieldWhere, value, PLACEMENTS);
                } else if (field.equals("InputType")) {
                    in = value == null ? null : g.match(fieldWhere, value, QUANT_TYPES);
                } else if (field.equals("OutputType")) {
                    outType = value == null ? null : g.match(fieldWhere, value, QUANT_TYPES);
                } else {
                    String hint = Suggest.closest(field, NODE_INFO_KEYS);
                    g.error(where + ": wrong key '" + field + "'" + (hint != null ? ": did you mean '" + hint + "'?"
                            : " (allowed keys: " + Suggest.quoted(NODE_INFO_KEYS) + ")"));
                }
            }
            out.put(node, new NodeInfo(on, in, outType));
        }
        return out;
    }

    /** {@code top}'s fields where given, else {@code base}'s. */
    private static NodeInfo override(NodeInfo base, NodeInfo top) {
        return new NodeInfo(top.on() != null ? top.on() : base.on(),
                top.inputType() != null ? top.inputType() : base.inputType(),
                top.outputType() != null ? top.outputType() : base.outputType());
    }
}
