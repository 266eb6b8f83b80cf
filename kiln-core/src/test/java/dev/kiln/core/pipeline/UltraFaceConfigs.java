package dev.kiln.core.pipeline;

import dev.kiln.core.testing.TestData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** makertbin configurations for the UltraFace detectors (RGB training input, (x - 127) / 128) in the tests. */
final class UltraFaceConfigs {
    private UltraFaceConfigs() {
    }

    /**
     * Writes dir/name.yaml.
     *
     * @param modelKeys the model_parameters lines naming the model (onnx_model, or prototxt + caffe_model)
     * @param rt        input_type_rt and, unless nv12, input_layout_rt: "nv12", "rgb NCHW", "rgb NHWC"
     */
    static Path write(Path dir, String name, String modelKeys, String march, String rt, Path cal, String calibration)
            throws IOException {
        String[] r = rt.split(" ");
        Path yaml = dir.resolve(name + ".yaml");
        Files.writeString(yaml, String.join("\n",
                "model_parameters:",
                modelKeys,
                "  march: '" + march + "'",
                "  working_dir: '" + dir.resolve(name + "_out") + "'",
                "  output_model_file_prefix: '" + name + "'",
                "input_parameters:",
                "  input_type_train: 'rgb'",
                "  input_layout_train: 'NCHW'",
                "  input_type_rt: '" + r[0] + "'",
                r.length > 1 ? "  input_layout_rt: '" + r[1] + "'" : "",
                "  norm_type: 'data_mean_and_scale'",
                "  mean_value: 127 127 127",
                "  scale_value: 0.0078125 0.0078125 0.0078125",
                "calibration_parameters:",
                "  cal_data_dir: '" + cal + "'",
                "  preprocess_on: True",
                "  calibration_type: '" + calibration + "'",
                "compiler_parameters:",
                "  optimize_level: 'O3'",
                ""));
        return yaml;
    }

    /** Copies the first count face photos (sorted by name) into dir/name: a calibration folder. */
    static Path faces(Path dir, String name, int count) throws IOException {
        Path cal = Files.createDirectories(dir.resolve(name));
        try (Stream<Path> s = Files.list(TestData.require("images/faces"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(count).toList()) {
                Files.copy(p, cal.resolve(p.getFileName()));
            }
        }
        return cal;
    }
}
