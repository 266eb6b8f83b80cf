package dev.kiln.core.config;

import dev.kiln.core.config.CalibrationParameters.CalibrationType;
import dev.kiln.core.config.CalibrationParameters.DataType;
import dev.kiln.core.config.CalibrationParameters.Optimization;
import dev.kiln.core.config.CalibrationParameters.Source;
import dev.kiln.core.config.InputParameters.InputSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.kiln.core.config.PerInput.entry;

/** Reads and checks the calibration_parameters group. */
final class CalibrationSection {
    static final String NAME = "calibration_parameters";
    static final List<String> KEYS = List.of("cal_data_dir", "cal_data_type", "preprocess_on", "calibration_type",
            "max_percentile", "per_channel", "run_on_cpu", "run_on_bpu", "optimization");
    /** A cal_data_dir whose name ends so holds float32 samples when cal_data_type is absent. */
    static final String FLOAT32_DIR_SUFFIX = "_f32";

    private static final Map<String, CalibrationType> TYPES = Group.lowerCaseNames(CalibrationType.values());
    private static final Map<String, DataType> DATA_TYPES = Group.lowerCaseNames(DataType.values());
    static final Map<String, Optimization> OPTIMIZATIONS = new LinkedHashMap<>();

    static {
        OPTIMIZATIONS.put("set_model_output_int8", Optimization.SET_MODEL_OUTPUT_INT8);
        OPTIMIZATIONS.put("set_model_output_int16", Optimization.SET_MODEL_OUTPUT_INT16);
        OPTIMIZATIONS.put("set_all_nodes_int16", Optimization.SET_ALL_NODES_INT16);
        OPTIMIZATIONS.put("set_Softmax_input_int8", Optimization.SET_SOFTMAX_INPUT_INT8);
        OPTIMIZATIONS.put("set_Softmax_output_int8", Optimization.SET_SOFTMAX_OUTPUT_INT8);
    }

    private CalibrationSection() {
    }

    /** @param inputs the inputs read from input_parameters, or null when that group is missing */
    static CalibrationParameters read(Group g, InputParameters inputs) {
        CalibrationType type = g.choice("calibration_type", TYPES, CalibrationType.DEFAULT);
        List<Source> sources = inputs == null ? List.of() : sources(g, inputs, type);
        boolean preprocessOn = g.bool("preprocess_on", false);
        double maxPercentile = 1.0;
        Double mp = g.number("max_percentile");
        if (mp != null) {
            if (mp <= 0 || mp > 1) {
                g.error("'max_percentile': " + g.text("max_percentile") + " is out of range; expected a number in (0, 1]");
            } else {
                maxPercentile = mp;
            }
        }
        boolean perChannel = g.bool("per_channel", false);
        List<String> runOnCpu = g.names("run_on_cpu");
        List<String> runOnBpu = g.names("run_on_bpu");
        for (String node : runOnCpu) {
            if (runOnBpu.contains(node)) {
                g.error("'run_on_cpu': node '" + node + "' is also in run_on_bpu; a node runs in one place");
            }
        }
        Set<Optimization> optimizations = EnumSet.noneOf(Optimization.class);
        for (String o : g.names("optimization")) {
            Optimization opt = g.match("'optimization'", o, OPTIMIZATIONS);
            if (opt != null) {
                optimizations.add(opt);
            }
        }
        if (optimizations.contains(Optimization.SET_MODEL_OUTPUT_INT8)
                && optimizations.contains(Optimization.SET_MODEL_OUTPUT_INT16)) {
            g.error("'optimization': set_model_output_int8 and set_model_output_int16 contradict each other");
        }
        return new CalibrationParameters(sources, preprocessOn, type, maxPercentile, perChannel, runOnCpu, runOnBpu,
                optimizations);
    }

    /**
     * cal_data_dir and cal_data_type per input. Directories must exist and hold files unless the
     * calibration needs no data (skip, load). The data type is the parameter's when given, else the
     * directory name's (_f32: float32, else uint8); when both disagree the parameter wins, with a
     * warning (as hb_mapper does).
     */
    private static List<Source> sources(Group g, InputParameters inputs, CalibrationType type) {
        List<String> names = new ArrayList<>();
        for (InputSpec s : inputs.inputs()) {
            names.add(s.name());
        }
        PerInput per = new PerInput(g, names);
        String[] dirs = per.values("cal_data_dir");
        String[] types = per.values("cal_data_type");
        boolean needsData = type != CalibrationType.SKIP && type != CalibrationType.LOAD;
        if (!needsData && g.has("cal_data_dir")) {
            g.warn("cal_data_dir", "not used: calibration_type " + Group.lower(type) + " needs no data");
        }
        if (needsData && !g.has("cal_data_dir")) {
            g.error("Missing key: 'cal_data_dir' (calibration needs samples; calibration_type skip converts without data)");
        }
        List<Source> out = new ArrayList<>();
        for (int i = 0; i < per.count(); i++) {
            DataType given = null;
            String t = entry(types, i);
            if (t != null) {
                given = g.match(per.where("cal_data_type", i), t, DATA_TYPES);
            }
            Path dir = null;
            String d = entry(dirs, i);
            if (needsData && d == null && dirs != null) {
                g.error(per.where("cal_data_dir", i) + " is empty");
            }
            if (needsData && d != null) {
                dir = g.resolve(d);
                checkDir(g, per.where("cal_data_dir", i), dir);
            }
            DataType implied = dir == null ? null
                    : dir.getFileName() != null && dir.getFileName().toString().endsWith(FLOAT32_DIR_SUFFIX)
                    ? DataType.FLOAT32 : DataType.UINT8;
            if (given != null && implied != null && given != implied) {
                g.warn("cal_data_type", per.prefix(i) + Group.lower(given) + ", but the directory name " + dir.getFileName()
                        + " implies " + Group.lower(implied) + " (only a name ending in " + FLOAT32_DIR_SUFFIX
                        + " means float32); the parameter wins: samples are read as " + Group.lower(given));
            }
            DataType dataType = given != null ? given : implied != null ? implied : DataType.UINT8;
            out.add(new Source(dir, dataType));
        }
        return out;
    }

    private static void checkDir(Group g, String where, Path dir) {
        if (!Files.exists(dir)) {
            g.error(where + ": directory not found: " + dir);
        } else if (!Files.isDirectory(dir)) {
            g.error(where + ": " + dir + " is a file, not a directory of samples");
        } else {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.noneMatch(Files::isRegularFile)) {
                    g.error(where + ": directory " + dir + " holds no sample files");
                }
            } catch (IOException e) {
                g.error(where + ": cannot list directory " + dir + ": " + e.getMessage());
            }
        }
    }
}
