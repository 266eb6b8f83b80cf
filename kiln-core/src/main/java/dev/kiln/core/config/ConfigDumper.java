package dev.kiln.core.config;

import dev.kiln.core.config.CalibrationParameters.Optimization;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.ModelParameters.DebugMode;
import dev.kiln.core.config.ModelParameters.NodeInfo;
import dev.kiln.core.config.CompilerParameters.InputSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Renders a {@link Config} as YAML with every default filled in, in the key order of the
 * configuration reference: what makertbin prints after {@code Dump config:}. The text loads back
 * into the same configuration (paths are absolute; per-input values keep one ';'-separated entry
 * per input; absent values are '').
 */
final class ConfigDumper {
    /** Text that needs no quotes in YAML: names, numbers, paths, space-separated numbers. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./+][A-Za-z0-9_./+\\-; ]*[A-Za-z0-9_./+\\-]|[A-Za-z0-9_.]");
    private static final Pattern YAML_WORD = Pattern.compile("(?i)y|n|yes|no|on|off|true|false|null|~");

    private final StringBuilder sb = new StringBuilder();

    private ConfigDumper() {
    }

    static String dump(Config c) {
        ConfigDumper d = new ConfigDumper();
        d.model(c.model());
        d.input(c.input());
        d.calibration(c.calibration());
        d.compiler(c.compiler());
        if (c.customOp() != null) {
            d.sb.append("custom_op:\n");
            d.put("custom_op_method", quote(c.customOp().method()));
            d.put("op_register_files", quote(String.join(";", c.customOp().registerFiles())));
            d.put("custom_op_dir", path(c.customOp().dir()));
        }
        return d.sb.toString();
    }

    private void model(ModelParameters m) {
        sb.append("model_parameters:\n");
        if (m.onnxModel() != null) {
            put("onnx_model", path(m.onnxModel()));
        } else {
            put("prototxt", path(m.prototxt()));
            put("caffe_model", path(m.caffeModel()));
        }
        put("march", m.march().key());
        put("output_model_file_prefix", quote(m.outputModelFilePrefix()));
        put("working_dir", path(m.workingDir()));
        put("layer_out_dump", bool(m.layerOutDump()));
        put("output_nodes", quote(String.join(";", m.outputNodes())));
        put("remove_node_type", quote(String.join(";", m.removeNodeType())));
        put("remove_node_name", quote(String.join(";", m.removeNodeName())));
        List<String> modes = new ArrayList<>();
        for (DebugMode d : m.debugModes()) {
            modes.add(Group.lower(d));
        }
        put("debug_mode", quote(String.join(";", modes)));
        if (m.nodeInfo().isEmpty()) {
            put("node_info", "{}");
        } else {
            sb.append("  node_info:\n");
            for (Map.Entry<String, NodeInfo> e : m.nodeInfo().entrySet()) {
                NodeInfo n = e.getValue();
                List<String> fields = new ArrayList<>();
                if (n.on() != null) {
                    fields.add("'ON': '" + n.on() + "'");
                }
                if (n.inputType() != null) {
                    fields.add("'InputType': '" + Group.lower(n.inputType()) + "'");
                }
                if (n.outputType() != null) {
                    fields.add("'OutputType': '" + Group.lower(n.outputType()) + "'");
                }
                sb.append("    ").append(quote(e.getKey())).append(": {").append(String.join(", ", fields)).append("}\n");
            }
        }
    }

    private void input(InputParameters in) {
        List<InputSpec> s = in.inputs();
        sb.append("input_parameters:\n");
        put("input_name", join(s, InputSpec::name));
        put("input_type_train", join(s, i -> i.typeTrain().key()));
        put("input_layout_train", join(s, i -> i.layoutTrain() == null ? "" : i.layoutTrain().name()));
        put("input_type_rt", join(s, i -> i.typeRt().key()));
        put("input_layout_rt", join(s, i -> i.layoutRt() == null ? "" : i.layoutRt().name()));
        put("input_space_and_range", join(s, i -> Group.lower(i.colorRange())));
        put("input_shape", join(s, i -> shape(i.shape())));
        put("input_batch", Integer.toString(s.get(0).batch()));
        put("norm_type", join(s, i -> Group.lower(i.normType())));
        put("mean_value", join(s, i -> numbers(i.mean())));
        put("scale_value", join(s, i -> numbers(i.scale())));
    }

    private void calibration(CalibrationParameters c) {
        sb.append("calibration_parameters:\n");
        put("cal_data_dir", join(c.sources(), src -> src.dir() == null ? "" : src.dir().toString()));
        put("cal_data_type", join(c.sources(), src -> Group.lower(src.dataType())));
        put("preprocess_on", bool(c.preprocessOn()));
        put("calibration_type", Group.lower(c.type()));
        put("max_percentile", Double.toString(c.maxPercentile()));
        put("per_channel", bool(c.perChannel()));
        put("run_on_cpu", quote(String.join(";", c.runOnCpu())));
        put("run_on_bpu", quote(String.join(";", c.runOnBpu())));
        List<String> opts = new ArrayList<>();
        for (Optimization o : c.optimizations()) {
            for (Map.Entry<String, Optimization> e : CalibrationSection.OPTIMIZATIONS.entrySet()) {
                if (e.getValue() == o) {
                    opts.add(e.getKey());
                }
            }
        }
        put("optimization", quote(String.join(";", opts)));
    }

    private void compiler(CompilerParameters c) {
        sb.append("compiler_parameters:\n");
        put("compile_mode", Group.lower(c.compileMode()));
        put("debug", bool(c.debug()));
        put("core_num", Integer.toString(c.coreNum()));
        put("optimize_level", c.optimizeLevel().name());
        List<String> sources = new ArrayList<>();
        for (Map.Entry<String, InputSource> e : c.inputSource().entrySet()) {
            sources.add(quote(e.getKey()) + ": " + Group.lower(e.getValue()));
        }
        put("input_source", "{" + String.join(", ", sources) + "}");
        put("max_time_per_fc", Long.toString(c.maxTimePerFc()));
        put("jobs", Integer.toString(c.jobs()));
    }

    private void put(String key, String value) {
        sb.append("  ").append(key).append(": ").append(value).append('\n');
    }

    private static <T> String join(List<T> items, Function<T, String> f) {
        List<String> parts = new ArrayList<>();
        for (T t : items) {
            parts.add(f.apply(t));
        }
        return quote(String.join(";", parts));
    }

    private static String path(Path p) {
        return quote(p == null ? "" : p.toString());
    }

    private static String shape(int[] dims) {
        if (dims == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (int d : dims) {
            s.append(s.length() == 0 ? "" : "x").append(d);
        }
        return s.toString();
    }

    private static String numbers(float[] v) {
        if (v == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (float f : v) {
            s.append(s.length() == 0 ? "" : " ").append(f);
        }
        return s.toString();
    }

    private static String bool(boolean b) {
        return b ? "True" : "False";
    }

    /** The text as a YAML scalar: plain when that reads back as the same string, else single-quoted. */
    static String quote(String s) {
        if (s != null && PLAIN.matcher(s).matches() && !YAML_WORD.matcher(s).matches()) {
            return s;
        }
        return "'" + (s == null ? "" : s.replace("'", "''")) + "'";
    }
}
