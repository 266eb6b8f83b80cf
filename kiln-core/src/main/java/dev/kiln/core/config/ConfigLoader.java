package dev.kiln.core.config;

import dev.kiln.core.config.ModelParameters.NodeInfo;
import dev.kiln.core.config.ModelParameters.Placement;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads a makertbin configuration (SPEC section 3) and checks all of it before any work starts.
 * Every problem of the file is collected and thrown together as one {@link ConfigException};
 * warnings (accepted oddities) travel in {@link Config#warnings()}.
 *
 * <h2>Format decisions</h2>
 * <ul>
 * <li><b>Groups.</b> model_parameters, input_parameters, calibration_parameters and
 *     compiler_parameters are required (reported together as {@code Missing keys: 'a', 'b'});
 *     custom_op is optional. A group written with no keys ({@code compiler_parameters:}) counts as
 *     present and takes every default. Unknown groups and keys are errors with a "did you mean"
 *     hint (edit distance, ignoring case) or, when nothing is close, the list of allowed keys.
 *     A key given twice keeps its last value, as PyYAML does, with a warning.</li>
 * <li><b>Values.</b> Scalars are read as the text written, so quoted and unquoted values are
 *     the same ({@code 'O3'}/{@code O3}, {@code "bayes-e"}/{@code bayes-e}, {@code '0.99'}/{@code 0.99}).
 *     Choices match ignoring case. Booleans: True/False, true/false, yes/no, on/off (YAML 1.1, as
 *     hb_mapper's PyYAML reads them), quoted or not. An empty value means "not given".</li>
 * <li><b>Model.</b> Exactly one form, the one --model-type names: onnx_model, or prototxt and
 *     caffe_model (missing ones: {@code Missing keys: 'caffe_model', 'prototxt'}; keys of the other
 *     form are errors). With a null model type the form is taken from the keys present.</li>
 * <li><b>Paths.</b> onnx_model, prototxt, caffe_model, cal_data_dir, custom_op_dir and working_dir
 *     are resolved against the directory of the YAML file, never the current directory, so a
 *     configuration means the same wherever makertbin is started. hb_mapper's own parser resolves
 *     every relative path, working_dir included, the same way. The config holds absolute paths.
 *     working_dir defaults to {@code model_output}; output_model_file_prefix is required and holds
 *     no directory.</li>
 * <li><b>Per-input values.</b> input_name lists the inputs separated by ';'; empty or missing
 *     means the model's single input (then every per-input key has exactly one entry). Every
 *     per-input key (types, layouts, input_space_and_range, input_shape, norm_type, mean_value,
 *     scale_value, cal_data_dir, cal_data_type) has one entry per input, separated by ';' (one
 *     trailing ';' is tolerated, an empty entry means "not given for this input"). Per-channel
 *     numbers within one input are separated by spaces (commas also accepted). input_batch is one
 *     value for the whole model (1 to 128).</li>
 * <li><b>Normalisation.</b> norm_type, when absent, follows from what is given (mean and scale:
 *     data_mean_and_scale; mean: data_mean; scale: data_scale; neither: no_preprocess). A
 *     mean_value or scale_value the norm_type does not use is ignored with a warning (real
 *     configurations carry {@code mean_value: 0} beside data_scale). Counts: 1 (repeated per
 *     channel) or the channels of input_type_train (3 for rgb, bgr, yuv444; 1 for gray).
 *     featuremap inputs take no_preprocess only.</li>
 * <li><b>Types.</b> yuv444 is fed by nv12, yuv444; rgb and bgr by nv12, yuv444, rgb, bgr; gray by
 *     gray; featuremap by featuremap. input_layout_train is required except for featuremap.
 *     input_layout_rt is ignored (warning) for nv12; when absent it is NHWC for rgb, bgr and
 *     yuv444, NCHW for gray, input_layout_train for featuremap. input_space_and_range bt601_video
 *     needs nv12. input_shape ({@code 1x3x224x224}, every dimension &gt; 0, '' = the model's) must
 *     be 4-D with the type's channel count for image inputs, and have even H and W for nv12 and
 *     yuv444.</li>
 * <li><b>Calibration data.</b> cal_data_dir must be a directory holding at least one file unless
 *     calibration_type is skip or load (then it is unused, with a warning if given).
 *     cal_data_type is uint8 or float32; absent, a directory name ending in {@code _f32} means
 *     float32, else uint8; given and different from what the name implies, the parameter wins and
 *     a warning says so (hb_mapper's rule, which also warns for names like {@code data_f32_640}).</li>
 * <li><b>node_info</b> is a mapping {@code {node: {'ON': 'BPU'|'CPU', 'InputType': 'int8'|'int16',
 *     'OutputType': ...}}} in flow or block style (trailing commas, {} and quoted keys accepted), or
 *     the short string {@code node:int16;node2:int8} (OutputType). The deprecated
 *     set_node_data_type has the same syntax and is overridden by node_info. Where node_info's ON
 *     contradicts run_on_cpu/run_on_bpu, node_info wins, with a warning.</li>
 * <li><b>Compiler defaults</b> (hb_mapper's): compile_mode latency, debug False, core_num 1,
 *     optimize_level O0, max_time_per_fc 0 (else 1000 to 4294967295), jobs 16; input_source per
 *     input: pyramid for nv12, ddr otherwise (pyramid and resizer deliver nv12 and gray, ddr every
 *     type but nv12).</li>
 * <li><b>Messages.</b> Each problem is one log record: {@code Key 'group' error:} and, on the next
 *     line, the key and what is wrong with it (for inputs, which input); the closing
 *     {@code yaml file parse failed. Please double check your input} comes from
 *     {@link ConfigException#logLines()}. YAML syntax errors name the file, line and column.</li>
 * </ul>
 */
public final class ConfigLoader {
    /** The groups of a configuration, in file order; the last one is optional. */
    static final List<String> GROUPS = List.of(ModelSection.NAME, InputSection.NAME, CalibrationSection.NAME,
            CompilerSection.NAME, CustomOpSection.NAME);

    private ConfigLoader() {
    }

    /**
     * Reads and validates a configuration.
     *
     * @param yaml the configuration file
     * @param type the --model-type; null takes it from the keys present (onnx_model: ONNX)
     * @throws ConfigException with every problem of the file
     */
    public static Config load(Path yaml, ModelType type) {
        Path file = yaml.toAbsolutePath().normalize();
        List<String> warnings = new ArrayList<>();
        Map<String, Object> root = YamlTree.read(file, warnings);
        Problems problems = new Problems(warnings);
        List<String> missing = new ArrayList<>();
        for (String group : GROUPS.subList(0, 4)) {
            if (!root.containsKey(group)) {
                missing.add(group);
            }
        }
        for (String key : root.keySet()) {
            if (!GROUPS.contains(key)) {
                String hint = Suggest.closest(key, GROUPS);
                problems.top("Wrong key '" + key + "'" + (hint != null ? ": did you mean '" + hint + "'?"
                        : " (the groups are " + Suggest.quoted(GROUPS) + ")"));
            }
        }
        if (!missing.isEmpty()) {
            problems.top((missing.size() == 1 ? "Missing key: " : "Missing keys: ") + Suggest.quoted(missing));
        }
        Path base = file.getParent();
        Group mg = group(root, ModelSection.NAME, ModelSection.KEYS, problems, base);
        ModelParameters model = mg == null ? null : ModelSection.read(mg, type);
        Group ig = group(root, InputSection.NAME, InputSection.KEYS, problems, base);
        InputParameters input = ig == null ? null : InputSection.read(ig);
        Group cg = group(root, CalibrationSection.NAME, CalibrationSection.KEYS, problems, base);
        CalibrationParameters calibration = cg == null ? null : CalibrationSection.read(cg, input);
        Group pg = group(root, CompilerSection.NAME, CompilerSection.KEYS, problems, base);
        CompilerParameters compiler = pg == null ? null : CompilerSection.read(pg, input);
        Group og = group(root, CustomOpSection.NAME, CustomOpSection.KEYS, problems, base);
        CustomOpParameters customOp = og == null ? null : CustomOpSection.read(og);
        if (model != null && calibration != null) {
            placementConflicts(model, calibration, problems);
        }
        problems.throwIfAny();
        return new Config(file, model, input, calibration, compiler, customOp, List.copyOf(warnings));
    }

    /** The configuration as YAML with every default filled in; {@link #load} reads it back to the same. */
    public static String dump(Config config) {
        return ConfigDumper.dump(config);
    }

    /** The group to read, or null when it is absent or not a mapping (reported: its keys are not checked then). */
    private static Group group(Map<String, Object> root, String name, List<String> keys, Problems problems, Path base) {
        if (!root.containsKey(name)) {
            return null;
        }
        Object raw = root.get(name);
        if (raw != null && !(raw instanceof Map)) {
            problems.error(name, "expected a mapping of keys, found " + YamlTree.kind(raw));
            return null;
        }
        return new Group(name, raw, keys, problems, base);
    }

    private static void placementConflicts(ModelParameters model, CalibrationParameters calibration, Problems problems) {
        for (Map.Entry<String, NodeInfo> e : model.nodeInfo().entrySet()) {
            Placement on = e.getValue().on();
            String node = e.getKey();
            if (on == Placement.BPU && calibration.runOnCpu().contains(node)
                    || on == Placement.CPU && calibration.runOnBpu().contains(node)) {
                problems.warn(ModelSection.NAME, "node_info", "node '" + node + "' is ON " + on + " but listed in "
                        + (on == Placement.BPU ? "run_on_cpu" : "run_on_bpu") + "; node_info wins");
            }
        }
    }
}
