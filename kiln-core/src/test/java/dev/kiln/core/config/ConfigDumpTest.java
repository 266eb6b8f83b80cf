package dev.kiln.core.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ConfigLoader.dump: defaults shown, text that loads back to the same configuration. */
class ConfigDumpTest {
    @TempDir
    Path tmp;
    ConfigFixture f;

    @BeforeEach
    void fixture() {
        f = new ConfigFixture(tmp);
    }

    @Test
    void showsEveryDefault() {
        String base = tmp.toAbsolutePath().normalize().toString();
        assertEquals("model_parameters:\n"
                + "  onnx_model: " + base + "/model.onnx\n"
                + "  march: bernoulli2\n"
                + "  output_model_file_prefix: m\n"
                + "  working_dir: " + base + "/model_output\n"
                + "  layer_out_dump: False\n"
                + "  output_nodes: ''\n"
                + "  remove_node_type: ''\n"
                + "  remove_node_name: ''\n"
                + "  debug_mode: ''\n"
                + "  node_info: {}\n"
                + "input_parameters:\n"
                + "  input_name: ''\n"
                + "  input_type_train: rgb\n"
                + "  input_layout_train: NCHW\n"
                + "  input_type_rt: nv12\n"
                + "  input_layout_rt: ''\n"
                + "  input_space_and_range: regular\n"
                + "  input_shape: ''\n"
                + "  input_batch: 1\n"
                + "  norm_type: data_mean_and_scale\n"
                + "  mean_value: 123.675 116.28 103.53\n"
                + "  scale_value: 0.0171 0.0175 0.0174\n"
                + "calibration_parameters:\n"
                + "  cal_data_dir: " + base + "/cal_f32\n"
                + "  cal_data_type: float32\n"
                + "  preprocess_on: False\n"
                + "  calibration_type: default\n"
                + "  max_percentile: 1.0\n"
                + "  per_channel: False\n"
                + "  run_on_cpu: ''\n"
                + "  run_on_bpu: ''\n"
                + "  optimization: ''\n"
                + "compiler_parameters:\n"
                + "  compile_mode: latency\n"
                + "  debug: False\n"
                + "  core_num: 1\n"
                + "  optimize_level: O3\n"
                + "  input_source: {'': pyramid}\n"
                + "  max_time_per_fc: 0\n"
                + "  jobs: 16\n", ConfigLoader.dump(f.load()));
    }

    @Test
    void aRichConfigurationRoundTrips() throws IOException {
        f.set("model_parameters", "node_info", "{'odd: name': {'ON': 'CPU'}, conv2: {'InputType': 'int16'}}")
                .set("model_parameters", "output_nodes", "'a;b'")
                .set("model_parameters", "debug_mode", "dump_calibration_data")
                .set("model_parameters", "working_dir", "'out dir'")
                .set("input_parameters", "input_name", "'data;im_info'")
                .set("input_parameters", "input_type_train", "'bgr;featuremap'")
                .set("input_parameters", "input_layout_train", "'NHWC;'")
                .set("input_parameters", "input_type_rt", "'nv12;featuremap'")
                .set("input_parameters", "input_space_and_range", "'bt601_video;'")
                .set("input_parameters", "input_shape", "'1x224x224x3;'")
                .set("input_parameters", "norm_type", "'data_mean_and_scale;no_preprocess'")
                .set("input_parameters", "mean_value", "'128;'")
                .set("input_parameters", "scale_value", "'1e-3 2e-3 3.5E-3;'")
                .set("calibration_parameters", "cal_data_dir", "'cal_u8;cal_b_f32'")
                .set("calibration_parameters", "max_percentile", "0.9999")
                .set("calibration_parameters", "optimization", "set_Softmax_output_int8")
                .set("calibration_parameters", "run_on_cpu", "x")
                .set("compiler_parameters", "input_source", "{data: resizer}")
                .set("compiler_parameters", "max_time_per_fc", "1000")
                .set("custom_op", "custom_op_method", "register")
                .set("custom_op", "op_register_files", "'a.B;c.D'");
        Config c = f.load();
        String dump = ConfigLoader.dump(c);
        Path again = tmp.resolve("again/dump.yaml");
        Files.createDirectories(again.getParent());
        Files.writeString(again, dump);
        Config reloaded = ConfigLoader.load(again, ModelType.ONNX);
        assertEquals(dump, ConfigLoader.dump(reloaded));
        assertEquals(c.model().nodeInfo(), reloaded.model().nodeInfo());
        assertEquals(c.calibration(), reloaded.calibration());
        assertEquals(c.compiler(), reloaded.compiler());
        assertEquals(tmp.resolve("out dir"), reloaded.model().workingDir());
    }
}
