package dev.kiln.core.config;

import dev.kiln.core.config.CalibrationParameters.CalibrationType;
import dev.kiln.core.config.CalibrationParameters.DataType;
import dev.kiln.core.config.CalibrationParameters.Optimization;
import dev.kiln.core.config.CalibrationParameters.Source;
import dev.kiln.core.config.CompilerParameters.CompileMode;
import dev.kiln.core.config.CompilerParameters.InputSource;
import dev.kiln.core.config.CompilerParameters.OptimizeLevel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** calibration_parameters, compiler_parameters and custom_op: one test per rule, exact messages. */
class CalibrationCompilerRulesTest {
    private static final String CAL = "calibration_parameters";
    private static final String COMP = "compiler_parameters";

    @TempDir
    Path tmp;
    ConfigFixture f;

    @BeforeEach
    void fixture() {
        f = new ConfigFixture(tmp);
    }

    @Test
    void calibrationDefaults() {
        CalibrationParameters c = f.load().calibration();
        assertEquals(CalibrationType.DEFAULT, c.type());
        assertEquals(1.0, c.maxPercentile());
        assertEquals(false, c.perChannel());
        assertEquals(false, c.preprocessOn());
        assertEquals(List.of(), c.runOnCpu());
        assertEquals(Set.of(), c.optimizations());
        assertEquals(List.of(new Source(tmp.resolve("cal_f32"), DataType.FLOAT32)), c.sources());
    }

    @Test
    void calibrationTypeValues() {
        for (CalibrationType t : CalibrationType.values()) {
            f.set(CAL, "calibration_type", "'" + t.name().toLowerCase() + "'");
            assertEquals(t, f.load().calibration().type());
        }
        f.set(CAL, "calibration_type", "kl_divergence");
        assertEquals(List.of("Key 'calibration_parameters' error:\n'calibration_type': 'kl_divergence' is not one of"
                + " 'default', 'mix', 'kl', 'max', 'load', 'skip'"), f.problems());
    }

    @Test
    void calibrationDirectoryMustExistAndHoldFiles() {
        f.set(CAL, "cal_data_dir", "./absent");
        assertEquals(List.of("Key 'calibration_parameters' error:\n'cal_data_dir': directory not found: "
                + f.path("absent")), f.problems());
        f.set(CAL, "cal_data_dir", "./empty_dir");
        assertEquals(List.of("Key 'calibration_parameters' error:\n'cal_data_dir': directory " + f.path("empty_dir")
                + " holds no sample files"), f.problems());
        f.set(CAL, "cal_data_dir", "model.onnx");
        assertEquals(List.of("Key 'calibration_parameters' error:\n'cal_data_dir': " + f.path("model.onnx")
                + " is a file, not a directory of samples"), f.problems());
        f.remove(CAL, "cal_data_dir");
        assertEquals(List.of("Key 'calibration_parameters' error:\nMissing key: 'cal_data_dir' (calibration needs"
                + " samples; calibration_type skip converts without data)"), f.problems());
    }

    @Test
    void skipAndLoadNeedNoData() {
        f.set(CAL, "calibration_type", "skip").remove(CAL, "cal_data_dir");
        Config c = f.load();
        assertEquals(List.of(new Source(null, DataType.UINT8)), c.calibration().sources());
        assertEquals(List.of(), c.warnings());
        f.set(CAL, "calibration_type", "load").set(CAL, "cal_data_dir", "./absent");
        c = f.load();
        assertNull(c.calibration().sources().get(0).dir());
        assertEquals(List.of("calibration_parameters.cal_data_dir: not used: calibration_type load needs no data"),
                c.warnings());
    }

    @Test
    void dataTypeFollowsTheDirectoryNameWhenAbsent() {
        f.set(CAL, "cal_data_dir", "cal_u8");
        assertEquals(DataType.UINT8, f.load().calibration().sources().get(0).dataType());
        f.set(CAL, "cal_data_dir", "'cal_f32/'");
        assertEquals(DataType.FLOAT32, f.load().calibration().sources().get(0).dataType());
    }

    @Test
    void theDataTypeParameterWinsOverTheNameWithAWarning() {
        f.set(CAL, "cal_data_type", "uint8");
        Config c = f.load();
        assertEquals(DataType.UINT8, c.calibration().sources().get(0).dataType());
        assertEquals(List.of("calibration_parameters.cal_data_type: uint8, but the directory name cal_f32 implies float32"
                + " (only a name ending in _f32 means float32); the parameter wins: samples are read as uint8"),
                c.warnings());
        f.set(CAL, "cal_data_type", "'FLOAT32'");
        c = f.load();
        assertEquals(DataType.FLOAT32, c.calibration().sources().get(0).dataType());
        assertEquals(List.of(), c.warnings());
        f.set(CAL, "cal_data_type", "float16");
        assertEquals(List.of("Key 'calibration_parameters' error:\n'cal_data_type': 'float16' is not one of 'uint8',"
                + " 'float32' (did you mean 'float32'?)"), f.problems());
    }

    @Test
    void maxPercentileIsInZeroToOne() {
        f.set(CAL, "max_percentile", "'0.99995'");
        assertEquals(0.99995, f.load().calibration().maxPercentile());
        f.set(CAL, "max_percentile", "0");
        assertEquals(List.of("Key 'calibration_parameters' error:\n'max_percentile': 0 is out of range; expected a"
                + " number in (0, 1]"), f.problems());
        f.set(CAL, "max_percentile", "high");
        assertEquals(List.of("Key 'calibration_parameters' error:\n'max_percentile': 'high' is not a number"),
                f.problems());
    }

    @Test
    void nodeListsMustNotOverlap() {
        f.set(CAL, "run_on_cpu", "'Conv_1;Conv_2'").set(CAL, "run_on_bpu", "'Conv_3'");
        Config c = f.load();
        assertEquals(List.of("Conv_1", "Conv_2"), c.calibration().runOnCpu());
        assertEquals(List.of("Conv_3"), c.calibration().runOnBpu());
        f.set(CAL, "run_on_bpu", "'Conv_2'");
        assertEquals(List.of("Key 'calibration_parameters' error:\n'run_on_cpu': node 'Conv_2' is also in run_on_bpu;"
                + " a node runs in one place"), f.problems());
    }

    @Test
    void optimizationValues() {
        f.set(CAL, "optimization", "'set_Softmax_input_int8;set_softmax_output_int8;set_model_output_int16'");
        assertEquals(Set.of(Optimization.SET_SOFTMAX_INPUT_INT8, Optimization.SET_SOFTMAX_OUTPUT_INT8,
                Optimization.SET_MODEL_OUTPUT_INT16), f.load().calibration().optimizations());
        f.set(CAL, "optimization", "set_all_node_int16");
        assertEquals(List.of("Key 'calibration_parameters' error:\n'optimization': 'set_all_node_int16' is not one of"
                + " 'set_model_output_int8', 'set_model_output_int16', 'set_all_nodes_int16', 'set_Softmax_input_int8',"
                + " 'set_Softmax_output_int8' (did you mean 'set_all_nodes_int16'?)"), f.problems());
        f.set(CAL, "optimization", "set_model_output_int8;set_model_output_int16");
        assertEquals(List.of("Key 'calibration_parameters' error:\n'optimization': set_model_output_int8 and"
                + " set_model_output_int16 contradict each other"), f.problems());
    }

    @Test
    void booleansInEveryCommonSpelling() {
        for (String t : List.of("True", "true", "'True'", "yes", "ON")) {
            f.set(CAL, "per_channel", t).set(CAL, "preprocess_on", t);
            assertEquals(true, f.load().calibration().perChannel(), t);
        }
        for (String t : List.of("False", "false", "\"false\"", "no", "off")) {
            f.set(CAL, "per_channel", t);
            assertEquals(false, f.load().calibration().perChannel(), t);
        }
        f.set(CAL, "per_channel", "1");
        assertEquals(List.of("Key 'calibration_parameters' error:\n'per_channel': '1' is not a boolean (True or False)"),
                f.problems());
    }

    @Test
    void quotedAndUnquotedValuesAreTheSame() {
        f.set(COMP, "optimize_level", "O2").set(COMP, "core_num", "'2'").set(COMP, "jobs", "\"4\"")
                .set("model_parameters", "march", "bayes-e").set(COMP, "compile_mode", "\"bandwidth\"");
        Config c = f.load();
        assertEquals(OptimizeLevel.O2, c.compiler().optimizeLevel());
        assertEquals(2, c.compiler().coreNum());
        assertEquals(4, c.compiler().jobs());
        assertEquals(March.BAYES_E, c.model().march());
        assertEquals(CompileMode.BANDWIDTH, c.compiler().compileMode());
    }

    @Test
    void compilerDefaults() {
        f.removeGroup(COMP).raw(f.text() + "compiler_parameters: {}\n");
        CompilerParameters c = f.load().compiler();
        assertEquals(CompileMode.LATENCY, c.compileMode());
        assertEquals(false, c.debug());
        assertEquals(1, c.coreNum());
        assertEquals(OptimizeLevel.O0, c.optimizeLevel());
        assertEquals(0, c.maxTimePerFc());
        assertEquals(16, c.jobs());
        assertEquals(Map.of("", InputSource.PYRAMID), c.inputSource());
    }

    @Test
    void compilerValueChecks() {
        f.set(COMP, "compile_mode", "balance").set(COMP, "core_num", "1.5").set(COMP, "max_time_per_fc", "500")
                .set(COMP, "jobs", "0").set(COMP, "debug", "'sometimes'");
        assertEquals(List.of(
                "Key 'compiler_parameters' error:\n'compile_mode': 'balance' is not one of 'latency', 'bandwidth'",
                "Key 'compiler_parameters' error:\n'debug': 'sometimes' is not a boolean (True or False)",
                "Key 'compiler_parameters' error:\n'core_num': '1.5' is not a whole number",
                "Key 'compiler_parameters' error:\n'max_time_per_fc': 500 is out of range; expected 0 (no limit) or 1000"
                        + " to 4294967295 microseconds",
                "Key 'compiler_parameters' error:\n'jobs': 0 is out of range; expected 1 or more"), f.problems());
    }

    @Test
    void inputSourcePerInput() {
        f.set(COMP, "input_source", "{images: resizer}");
        assertEquals(Map.of("", InputSource.RESIZER), f.load().compiler().inputSource());
        f.set(COMP, "input_source", "{images: ddr}");
        assertEquals(List.of("Key 'compiler_parameters' error:\n'input_source': ddr cannot deliver input_type_rt nv12"),
                f.problems());
        f.set("input_parameters", "input_name", "'images'").set(COMP, "input_source", "{image: pyramid}");
        assertEquals(List.of("Key 'compiler_parameters' error:\n'input_source' of input 'image': no such input in"
                + " input_name ('images') (did you mean 'images'?)"), f.problems());
        f.set(COMP, "input_source", "ddr");
        assertEquals(List.of("Key 'compiler_parameters' error:\n'input_source': expected a mapping {input_name:"
                + " ddr|pyramid|resizer}, found 'ddr'"), f.problems());
    }

    @Test
    void customOpGroup() {
        f.set("custom_op", "custom_op_method", "register").set("custom_op", "op_register_files", "'com.example.MyOp'");
        CustomOpParameters c = f.load().customOp();
        assertEquals("register", c.method());
        assertEquals(List.of("com.example.MyOp"), c.registerFiles());
        assertNull(c.dir());
        f.set("custom_op", "custom_op_method", "manual").remove("custom_op", "op_register_files")
                .set("custom_op", "custom_op_dir", "./ops");
        assertEquals(List.of("Key 'custom_op' error:\n'custom_op_method': 'manual' is not one of 'register'",
                "Key 'custom_op' error:\nMissing key: 'op_register_files' (the classes registering the custom"
                        + " operators)",
                "Key 'custom_op' error:\n'custom_op_dir': directory not found: " + f.path("ops")), f.problems());
    }
}
