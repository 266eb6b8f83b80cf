package dev.kiln.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A valid single-input ONNX configuration in a temporary directory that holds its model files and
 * calibration folders, with setters to break it one key at a time. Values are raw YAML text.
 */
final class ConfigFixture {
    final Path dir;
    private final Map<String, Map<String, String>> groups = new LinkedHashMap<>();
    private String raw;

    ConfigFixture(Path dir) {
        this.dir = dir;
        try {
            Files.write(dir.resolve("model.onnx"), new byte[] {1});
            Files.write(dir.resolve("model.prototxt"), new byte[] {1});
            Files.write(dir.resolve("model.caffemodel"), new byte[] {1});
            for (String d : List.of("cal_f32", "cal_u8", "cal_b_f32")) {
                Files.createDirectories(dir.resolve(d));
                Files.write(dir.resolve(d).resolve("0.bin"), new byte[] {1});
            }
            Files.createDirectories(dir.resolve("empty_dir"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        set("model_parameters", "onnx_model", "'model.onnx'");
        set("model_parameters", "march", "'bernoulli2'");
        set("model_parameters", "output_model_file_prefix", "'m'");
        set("input_parameters", "input_name", "''");
        set("input_parameters", "input_type_train", "'rgb'");
        set("input_parameters", "input_layout_train", "'NCHW'");
        set("input_parameters", "input_type_rt", "'nv12'");
        set("input_parameters", "norm_type", "'data_mean_and_scale'");
        set("input_parameters", "mean_value", "123.675 116.28 103.53");
        set("input_parameters", "scale_value", "0.0171 0.0175 0.0174");
        set("calibration_parameters", "cal_data_dir", "'./cal_f32'");
        set("compiler_parameters", "optimize_level", "'O3'");
    }

    ConfigFixture set(String group, String key, String rawValue) {
        groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(key, rawValue);
        return this;
    }

    ConfigFixture remove(String group, String key) {
        groups.get(group).remove(key);
        return this;
    }

    ConfigFixture removeGroup(String group) {
        groups.remove(group);
        return this;
    }

    /** Replaces the generated text by this YAML text. */
    ConfigFixture raw(String yaml) {
        this.raw = yaml;
        return this;
    }

    String text() {
        if (raw != null) {
            return raw;
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Map<String, String>> g : groups.entrySet()) {
            sb.append(g.getKey()).append(":\n");
            for (Map.Entry<String, String> e : g.getValue().entrySet()) {
                sb.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            }
        }
        return sb.toString();
    }

    Path write() {
        Path f = dir.resolve("config.yaml");
        try {
            Files.writeString(f, text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    Config load() {
        return ConfigLoader.load(write(), ModelType.ONNX);
    }

    /** The problems of a configuration that must be rejected. */
    List<String> problems(ModelType type) {
        Path f = write();
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(f, type)).problems();
    }

    List<String> problems() {
        return problems(ModelType.ONNX);
    }

    /** The absolute path of a file in the fixture directory, as messages print it. */
    String path(String name) {
        return dir.resolve(name).toAbsolutePath().normalize().toString();
    }
}
