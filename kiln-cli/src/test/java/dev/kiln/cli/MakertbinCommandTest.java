package dev.kiln.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kiln makertbin from the command line: hb_mapper-style error reports, the log file, exit status. */
class MakertbinCommandTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void logHere() {
        System.setProperty("kiln.log.dir", dir.toString());
    }

    @Test
    void configErrorsAreReportedLikeHbMapper() throws Exception {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "model_parameters:\n  march: 'bernoulli2'\n  output_model_file_prefix: 'm'\n"
                + "input_parameters:\n  input_type_train: 'rgb'\n  input_type_rt: 'nv12'\n  input_layout_train: 'NCHW'\n"
                + "calibration_parameters:\n  calibration_type: 'skip'\ncompiler_parameters:\n  optimize_level: 'O3'\n");
        CliErrorsTest.Run r = CliErrorsTest.kiln("makertbin", "--config", yaml.toString(), "--model-type", "caffe");
        assertEquals(1, r.status());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[0].matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} ERROR Key 'model_parameters' error:"), lines[0]);
        assertTrue(lines[1].endsWith("ERROR Missing keys: 'caffe_model', 'prototxt'"), lines[1]);
        assertTrue(lines[lines.length - 2].endsWith("ERROR yaml file parse failed. Please double check your input"),
                r.out());
        assertTrue(lines[lines.length - 1].endsWith("ERROR exception in command: makertbin"), r.out());
        String log = Files.readString(dir.resolve("kiln_makertbin.log"));
        assertTrue(log.contains("Missing keys: 'caffe_model', 'prototxt'") && log.contains("exception in command: makertbin"));
        assertTrue(!r.out().contains("\tat ") && !r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void otherErrorsEndWithTheCommandLine() {
        CliErrorsTest.Run r = CliErrorsTest.kiln("makertbin", "--config", dir.resolve("none.yaml").toString(), "--model-type",
                "onnx");
        assertEquals(1, r.status());
        assertTrue(r.out().contains("none.yaml") && r.out().strip().endsWith("ERROR exception in command: makertbin"), r.out());
        CliErrorsTest.Run t = CliErrorsTest.kiln("makertbin", "--config", "x.yaml", "--model-type", "tflite");
        assertEquals(1, t.status());
        assertTrue(t.err().contains("--model-type must be onnx or caffe"), t.err());
    }
}
