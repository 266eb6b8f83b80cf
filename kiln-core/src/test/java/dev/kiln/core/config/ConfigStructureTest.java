package dev.kiln.core.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Groups, keys, model files, paths and YAML syntax: one test per rule, exact messages. */
class ConfigStructureTest {
    @TempDir
    Path tmp;
    ConfigFixture f;

    @BeforeEach
    void fixture() {
        f = new ConfigFixture(tmp);
    }

    @Test
    void theFixtureIsValid() {
        Config c = f.load();
        assertEquals(List.of(), c.warnings());
        assertEquals(tmp.resolve("model.onnx"), c.model().onnxModel());
    }

    @Test
    void missingGroupsAreReportedTogether() {
        f.removeGroup("calibration_parameters").removeGroup("compiler_parameters");
        assertEquals(List.of("Missing keys: 'calibration_parameters', 'compiler_parameters'"), f.problems());
    }

    @Test
    void anEmptyGroupTakesItsDefaults() {
        f.removeGroup("compiler_parameters").raw(f.text() + "compiler_parameters:\n");
        assertEquals(CompilerParameters.OptimizeLevel.O0, f.load().compiler().optimizeLevel());
    }

    @Test
    void unknownGroupGetsAHint() {
        f.raw(f.text().replace("compiler_parameters:", "compiler_parameter:"));
        assertEquals(List.of("Wrong key 'compiler_parameter': did you mean 'compiler_parameters'?",
                "Missing key: 'compiler_parameters'"), f.problems());
    }

    @Test
    void unknownKeyGetsAHint() {
        f.set("model_parameters", "marhc", "'bayes'");
        assertEquals(List.of("Key 'model_parameters' error:\nWrong key 'marhc': did you mean 'march'?"), f.problems());
    }

    @Test
    void unknownKeyWithNothingCloseListsTheKeys() {
        f.set("compiler_parameters", "balance_factor", "2");
        assertEquals(List.of("Key 'compiler_parameters' error:\nWrong key 'balance_factor' (allowed keys: 'compile_mode',"
                + " 'debug', 'core_num', 'optimize_level', 'input_source', 'max_time_per_fc', 'jobs')"), f.problems());
    }

    @Test
    void aGroupMustBeAMapping() {
        f.removeGroup("compiler_parameters").raw(f.text() + "compiler_parameters: fast\n");
        assertEquals(List.of("Key 'compiler_parameters' error:\nexpected a mapping of keys, found 'fast'"), f.problems());
        f.raw(f.text().replace("model_parameters:\n", "model_parameters: [model.onnx]\nunused:\n"));
        assertEquals(List.of("Wrong key 'unused' (the groups are 'model_parameters', 'input_parameters',"
                        + " 'calibration_parameters', 'compiler_parameters', 'custom_op')",
                "Key 'model_parameters' error:\nexpected a mapping of keys, found a list",
                "Key 'compiler_parameters' error:\nexpected a mapping of keys, found 'fast'"), f.problems());
    }

    @Test
    void caffeWithoutItsFilesIsReportedAsHbMapperDoes() {
        f.remove("model_parameters", "onnx_model");
        assertEquals(List.of("Key 'model_parameters' error:\nMissing keys: 'caffe_model', 'prototxt'"),
                f.problems(ModelType.CAFFE));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f.write(), ModelType.CAFFE));
        assertEquals("Key 'model_parameters' error:\nMissing keys: 'caffe_model', 'prototxt'\n"
                + "yaml file parse failed. Please double check your input", e.getMessage());
        assertEquals(List.of("Key 'model_parameters' error:\nMissing keys: 'caffe_model', 'prototxt'",
                "yaml file parse failed. Please double check your input"), e.logLines());
    }

    @Test
    void caffeModelTypeRejectsAnOnnxModel() {
        f.set("model_parameters", "prototxt", "model.prototxt");
        assertEquals(List.of("Key 'model_parameters' error:\nMissing key: 'caffe_model'",
                "Key 'model_parameters' error:\nWrong key 'onnx_model': --model-type caffe takes prototxt and caffe_model only"),
                f.problems(ModelType.CAFFE));
    }

    @Test
    void onnxModelTypeRejectsCaffeFiles() {
        f.set("model_parameters", "prototxt", "model.prototxt").set("model_parameters", "caffe_model", "model.caffemodel");
        assertEquals(List.of("Key 'model_parameters' error:\nWrong keys 'caffe_model', 'prototxt': --model-type onnx"
                + " takes onnx_model only"), f.problems());
    }

    @Test
    void onnxModelTypeNeedsOnnxModel() {
        f.remove("model_parameters", "onnx_model");
        assertEquals(List.of("Key 'model_parameters' error:\nMissing key: 'onnx_model'"), f.problems());
    }

    @Test
    void caffeModelLoadsWithBothFiles() {
        f.remove("model_parameters", "onnx_model").set("model_parameters", "prototxt", "model.prototxt")
                .set("model_parameters", "caffe_model", "model.caffemodel");
        Config c = ConfigLoader.load(f.write(), ModelType.CAFFE);
        assertEquals(tmp.resolve("model.prototxt"), c.model().prototxt());
        assertEquals(tmp.resolve("model.caffemodel"), c.model().caffeModel());
        assertNull(c.model().onnxModel());
        assertEquals(tmp.resolve("model.prototxt"), ConfigLoader.load(f.write(), null).model().prototxt());
    }

    @Test
    void modelFilesMustExist() {
        f.set("model_parameters", "onnx_model", "'models/absent.onnx'");
        assertEquals(List.of("Key 'model_parameters' error:\n'onnx_model': file not found: " + f.path("models/absent.onnx")),
                f.problems());
        f.set("model_parameters", "onnx_model", "'cal_f32'");
        assertEquals(List.of("Key 'model_parameters' error:\n'onnx_model': " + f.path("cal_f32")
                + " is a directory, not a model file"), f.problems());
    }

    @Test
    void marchIsRequiredAndChecked() {
        f.set("model_parameters", "march", "bayse-e");
        assertEquals(List.of("Key 'model_parameters' error:\n'march': 'bayse-e' is not one of 'bernoulli2', 'bayes',"
                + " 'bayes-e', 'nash-e', 'nash-m', 'generic' (did you mean 'bayes-e'?)"), f.problems());
        f.remove("model_parameters", "march");
        assertEquals(List.of("Key 'model_parameters' error:\nMissing key: 'march'"), f.problems());
        f.set("model_parameters", "march", "''");
        assertEquals(List.of("Key 'model_parameters' error:\n'march' is empty"), f.problems());
    }

    @Test
    void everyMarchIsAccepted() {
        for (March m : March.values()) {
            f.set("model_parameters", "march", "\"" + m.key() + "\"");
            assertEquals(m, f.load().model().march());
        }
    }

    @Test
    void outputPrefixIsRequiredAndHoldsNoDirectory() {
        f.remove("model_parameters", "output_model_file_prefix");
        assertEquals(List.of("Key 'model_parameters' error:\nMissing key: 'output_model_file_prefix'"), f.problems());
        f.set("model_parameters", "output_model_file_prefix", "out/m");
        assertEquals(List.of("Key 'model_parameters' error:\n'output_model_file_prefix': 'out/m' contains a path"
                + " separator; the artefacts go to working_dir, give the directory there"), f.problems());
    }

    /** working_dir, like every relative path, is resolved against the YAML file's directory. */
    @Test
    void workingDirDefaultsToModelOutputBesideTheYaml() {
        assertEquals(tmp.resolve("model_output"), f.load().model().workingDir());
        f.set("model_parameters", "working_dir", "'../out'");
        assertEquals(tmp.getParent().resolve("out"), f.load().model().workingDir());
        f.set("model_parameters", "working_dir", "'" + tmp.resolve("abs") + "'");
        assertEquals(tmp.resolve("abs"), f.load().model().workingDir());
    }

    @Test
    void removeNodeTypeAndDebugModeValues() {
        f.set("model_parameters", "remove_node_type", "'quantize;Dequantize;'")
                .set("model_parameters", "debug_mode", "dump_calibration_data");
        Config c = f.load();
        assertEquals(List.of("Quantize", "Dequantize"), c.model().removeNodeType());
        assertEquals(java.util.Set.of(ModelParameters.DebugMode.DUMP_CALIBRATION_DATA), c.model().debugModes());
        f.set("model_parameters", "remove_node_type", "Softmx").set("model_parameters", "debug_mode", "dump_all");
        assertEquals(List.of("Key 'model_parameters' error:\n'remove_node_type': 'Softmx' is not one of 'Quantize',"
                        + " 'Dequantize', 'Transpose', 'Cast', 'Reshape', 'Softmax' (did you mean 'Softmax'?)",
                "Key 'model_parameters' error:\n'debug_mode': 'dump_all' is not one of 'dump_calibration_data'"),
                f.problems());
    }

    @Test
    void nameListsTakeSemicolonsOrYamlLists() {
        f.set("model_parameters", "output_nodes", "'conv1; fc2;'")
                .set("model_parameters", "remove_node_name", "[a, b]");
        Config c = f.load();
        assertEquals(List.of("conv1", "fc2"), c.model().outputNodes());
        assertEquals(List.of("a", "b"), c.model().removeNodeName());
    }

    @Test
    void deprecatedLogLevelIsAcceptedWithAWarning() {
        f.set("model_parameters", "log_level", "'debug'");
        assertEquals(List.of("model_parameters.log_level: deprecated and ignored: the console shows INFO, the log file"
                + " DEBUG"), f.load().warnings());
    }

    @Test
    void yamlSyntaxErrorsNameFileLineAndColumn() {
        f.raw("model_parameters:\n  march: bayes\n  onnx_model: [a.onnx\ninput_parameters:\n");
        List<String> p = f.problems();
        assertEquals(1, p.size());
        String first = p.get(0).lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("YAML syntax error in " + f.path("config.yaml") + " at line 4, column 17: "), first);
    }

    @Test
    void badIndentationIsASyntaxError() {
        f.raw("model_parameters:\n  march: bayes\n   onnx_model: a.onnx\n");
        String first = f.problems().get(0).lines().findFirst().orElseThrow();
        assertEquals("YAML syntax error in " + f.path("config.yaml") + " at line 3, column 14: mapping values are not"
                + " allowed here", first);
    }

    @Test
    void emptyAndNonMappingFiles() {
        f.raw("# nothing\n");
        assertEquals(List.of("yaml file " + f.path("config.yaml") + " is empty: expected the groups model_parameters,"
                + " input_parameters, calibration_parameters and compiler_parameters"), f.problems());
        f.raw("- a\n- b\n");
        assertEquals(List.of("yaml file " + f.path("config.yaml") + " must be a mapping of groups (model_parameters: ...,"
                + " input_parameters: ...), found a list at line 1"), f.problems());
    }

    @Test
    void missingFile() {
        Path absent = tmp.resolve("absent.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(absent, ModelType.ONNX));
        assertEquals(List.of("yaml file not found: " + absent), e.problems());
    }

    @Test
    void aKeyGivenTwiceKeepsTheLastValueWithAWarning() {
        f.raw(f.text().replace("  march: 'bernoulli2'\n", "  march: 'bernoulli2'\n  march: 'bayes'\n"));
        Config c = f.load();
        assertEquals(March.BAYES, c.model().march());
        assertEquals(List.of("yaml file " + f.path("config.yaml") + " line 4: key 'model_parameters.march' given twice"
                + " (first on line 3); the last value is used"), c.warnings());
    }

    /** A file with several problems in several groups reports all of them, in file order. */
    @Test
    void everyProblemIsReportedAtOnce() {
        f.set("model_parameters", "march", "x3")
                .set("model_parameters", "layer_out_dump", "maybe")
                .set("input_parameters", "input_type_rt", "gray")
                .set("input_parameters", "mean_value", "1 2")
                .set("input_parameters", "shape", "1x3x4x4")
                .set("calibration_parameters", "cal_data_dir", "'./nowhere'")
                .set("calibration_parameters", "max_percentile", "2")
                .set("compiler_parameters", "optimize_level", "'O4'")
                .set("compiler_parameters", "core_num", "4")
                .raw(f.text() + "extra_parameters:\n  a: 1\n");
        assertEquals(List.of(
                "Wrong key 'extra_parameters' (the groups are 'model_parameters', 'input_parameters',"
                        + " 'calibration_parameters', 'compiler_parameters', 'custom_op')",
                "Key 'model_parameters' error:\n'march': 'x3' is not one of 'bernoulli2', 'bayes', 'bayes-e', 'nash-e',"
                        + " 'nash-m', 'generic'",
                "Key 'model_parameters' error:\n'layer_out_dump': 'maybe' is not a boolean (True or False)",
                "Key 'input_parameters' error:\nWrong key 'shape' (allowed keys: 'input_name', 'input_type_train',"
                        + " 'input_layout_train', 'input_type_rt', 'input_layout_rt', 'input_space_and_range',"
                        + " 'input_shape', 'input_batch', 'norm_type', 'mean_value', 'scale_value')",
                "Key 'input_parameters' error:\n'input_type_rt': 'gray' cannot feed a model trained on input_type_train"
                        + " 'rgb'; rgb accepts 'nv12', 'yuv444', 'rgb', 'bgr'",
                "Key 'input_parameters' error:\n'mean_value': 2 values in '1 2', expected 1 or 3 (one per channel of"
                        + " input_type_train rgb)",
                "Key 'calibration_parameters' error:\n'cal_data_dir': directory not found: " + f.path("nowhere"),
                "Key 'calibration_parameters' error:\n'max_percentile': 2 is out of range; expected a number in (0, 1]",
                "Key 'compiler_parameters' error:\n'core_num': 4 is not one of 1, 2",
                "Key 'compiler_parameters' error:\n'optimize_level': 'O4' is not one of 'O0', 'O1', 'O2', 'O3'"),
                f.problems());
    }
}
