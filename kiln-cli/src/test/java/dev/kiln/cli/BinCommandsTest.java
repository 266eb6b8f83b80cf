package dev.kiln.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commands around a .bin on the bundled example (the PP-OCR classifier with an NV12 input):
 * makertbin ends with the .bin, run model_info/infer/perf, info, verify, modify, pack, perf (and its
 * HTML page in headless Chromium when the machine has one), and damaged files refused cleanly.
 */
class BinCommandsTest {
    @TempDir
    static Path dir;
    static Path bin;
    static Path quantized;

    @BeforeAll
    static void convert() throws Exception {
        System.setProperty("kiln.log.dir", dir.toString());
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path yaml = dir.resolve("cls.yaml");
        Files.writeString(yaml, String.join("\n",
                "model_parameters:",
                "  onnx_model: '" + root.resolve("examples/ppocr-cls/ch_ppocr_mobile_v2.0_cls_infer.onnx") + "'",
                "  march: 'generic'",
                "  working_dir: '" + dir.resolve("out") + "'",
                "  output_model_file_prefix: 'cls'",
                "input_parameters:",
                "  input_name: 'x'",
                "  input_shape: '1x3x48x192'",
                "  input_type_train: 'bgr'",
                "  input_layout_train: 'NCHW'",
                "  input_type_rt: 'nv12'",
                "  norm_type: 'data_mean_and_scale'",
                "  mean_value: 127.5",
                "  scale_value: 0.0078431373",
                "calibration_parameters:",
                "  cal_data_dir: '" + root.resolve("examples/quickstart/calibration_data") + "'",
                "  preprocess_on: True",
                "  calibration_type: 'max'",
                "compiler_parameters:",
                "  optimize_level: 'O3'",
                ""));
        CliErrorsTest.Run r = CliErrorsTest.kiln("makertbin", "--config", yaml.toString(), "--model-type", "onnx");
        assertEquals(0, r.status(), r.out() + r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[lines.length - 2].endsWith("INFO Convert to runtime bin file successfully!"), r.out());
        assertTrue(lines[lines.length - 1].endsWith("INFO End Model Convert"), r.out());
        assertTrue(r.out().contains("Subgraph id(0)") && r.out().contains("MACs") && r.out().contains("arena"), r.out());
        bin = dir.resolve("out/cls.bin");
        quantized = dir.resolve("out/cls_quantized_model.onnx");
        assertTrue(Files.isRegularFile(bin));
    }

    @Test
    void modelInfoInferAndPerf() throws Exception {
        CliErrorsTest.Run info = CliErrorsTest.kiln("run", "model_info", "--model", bin.toString());
        assertEquals(0, info.status(), info.err());
        assertTrue(info.out().contains("[model name]: cls") && info.out().contains("tensor type: NV12")
                && info.out().contains("valid shape: (1,48,192,)") && info.out().contains("aligned byte size: 13824")
                && info.out().contains("tensor type: F32"), info.out());

        byte[] nv12 = new byte[48 * 192 * 3 / 2];
        for (int i = 0; i < nv12.length; i++) {
            nv12[i] = (byte) (i * 31 % 251);
        }
        Path img = Files.write(dir.resolve("line.nv12"), nv12);
        CliErrorsTest.Run infer = CliErrorsTest.kiln("run", "infer", "--model", bin.toString(), "--input", "x=" + img,
                "--output-dir", dir.resolve("run_out").toString());
        assertEquals(0, infer.status(), infer.err());
        try (var s = Files.list(dir.resolve("run_out"))) {
            assertTrue(s.anyMatch(p -> p.toString().endsWith(".npy")), "an output .npy");
        }
        CliErrorsTest.Run wrong = CliErrorsTest.kiln("run", "infer", "--model", bin.toString(), "--input",
                "x=" + Files.write(dir.resolve("short.nv12"), new byte[100]));
        CliErrorsTest.assertOneLineError(wrong, "short.nv12", "100 bytes", "13824");

        Path prof = dir.resolve("prof");
        CliErrorsTest.Run perf = CliErrorsTest.kiln("run", "perf", "--model", bin.toString(), "--frames", "3", "--warmup", "1",
                "--threads", "2", "--profile-path", prof.toString());
        assertEquals(0, perf.status(), perf.err());
        assertTrue(perf.out().contains("FPS") && perf.out().contains("id(0)"), perf.out());
        String json = Files.readString(prof.resolve("profile.json"));
        assertTrue(json.contains("\"nodes\"") && json.contains("\"subgraphs\"") && json.contains("\"time_us\""), json);
    }

    @Test
    void infoAndVerify() {
        CliErrorsTest.Run info = CliErrorsTest.kiln("info", bin.toString());
        assertEquals(0, info.status(), info.err());
        assertTrue(info.out().contains("Format version: 1.0") && info.out().contains("optimize_level: O3")
                && info.out().contains("input_type_rt: nv12") && info.out().contains("deleted nodes: none"), info.out());
        CliErrorsTest.Run v = CliErrorsTest.kiln("verify", "--quantized", quantized.toString(), "--bin", bin.toString(),
                "--samples", "2");
        assertEquals(0, v.status(), v.out() + v.err());
        assertTrue(v.out().contains("strict check passed"), v.out());
    }

    @Test
    void modifyAndPack() throws Exception {
        CliErrorsTest.Run list = CliErrorsTest.kiln("modify", bin.toString());
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().contains("DequantizeLinear") || list.out().contains("Softmax"), list.out());
        String type = list.out().contains("DequantizeLinear") ? "DequantizeLinear" : "Softmax";
        CliErrorsTest.Run mod = CliErrorsTest.kiln("modify", bin.toString(), "-a", type);
        assertEquals(0, mod.status(), mod.out() + mod.err());
        Path modified = dir.resolve("out/cls_modified.bin");
        assertTrue(Files.isRegularFile(modified), mod.out());
        CliErrorsTest.Run info = CliErrorsTest.kiln("info", modified.toString());
        assertTrue(info.out().contains("deleted nodes:") && info.out().contains("(" + type + ")"), info.out());
        CliErrorsTest.Run infer = CliErrorsTest.kiln("run", "infer", "--model", modified.toString(), "--output-dir",
                dir.resolve("mod_out").toString(), "--raw");
        assertEquals(0, infer.status(), infer.err());

        // a second conversion of the same model, with its tail node removed by the configuration
        Path yaml2 = dir.resolve("cls2.yaml");
        Files.writeString(yaml2, Files.readString(dir.resolve("cls.yaml")).replace("'cls'", "'cls2'")
                .replace("calibration_type: 'max'", "calibration_type: 'skip'")
                .replace("  march: 'generic'", "  march: 'generic'\n  remove_node_type: '" + type.replace("Linear", "") + "'"));
        CliErrorsTest.Run second = CliErrorsTest.kiln("makertbin", "--config", yaml2.toString(), "--model-type", "onnx");
        assertEquals(0, second.status(), second.out() + second.err());
        Path other = dir.resolve("out/cls2.bin");
        assertTrue(CliErrorsTest.kiln("info", other.toString()).out().contains("(" + type + ")"),
                "remove_node_type removed the node");
        Path packed = dir.resolve("packed.bin");
        CliErrorsTest.Run pack = CliErrorsTest.kiln("pack", bin.toString(), other.toString(), "-o", packed.toString());
        assertEquals(0, pack.status(), pack.out() + pack.err());
        CliErrorsTest.Run mi = CliErrorsTest.kiln("run", "model_info", "--model", packed.toString());
        assertTrue(mi.out().contains("This model file has 2 models"), mi.out());
        CliErrorsTest.Run again = CliErrorsTest.kiln("pack", packed.toString(), bin.toString(), "-o",
                dir.resolve("p2.bin").toString());
        CliErrorsTest.assertOneLineError(again, "packed.bin", "already a packed file");
        CliErrorsTest.Run which = CliErrorsTest.kiln("run", "infer", "--model", packed.toString());
        CliErrorsTest.assertOneLineError(which, "2 models", "--model-name");
    }

    @Test
    void damagedFilesAreRefused() throws Exception {
        byte[] b = Files.readAllBytes(bin);
        byte[] flipped = b.clone();
        flipped[flipped.length / 2] ^= 0x10;
        Path bad = Files.write(dir.resolve("bad.bin"), flipped);
        CliErrorsTest.assertOneLineError(CliErrorsTest.kiln("info", bad.toString()), "bad.bin", "checksum mismatch");
        Path cut = Files.write(dir.resolve("cut.bin"), java.util.Arrays.copyOf(b, b.length - 1000));
        CliErrorsTest.assertOneLineError(CliErrorsTest.kiln("run", "model_info", "--model", cut.toString()), "cut.bin",
                "truncated");
        Path other = Files.write(dir.resolve("other.bin"), "not a model at all, just text".repeat(10)
                .getBytes(StandardCharsets.UTF_8));
        CliErrorsTest.assertOneLineError(CliErrorsTest.kiln("perf", other.toString()), "other.bin", "not a Kiln .bin file");
    }

    @Test
    void perfPageRendersInHeadlessChromium() throws Exception {
        Path out = dir.resolve("perf");
        CliErrorsTest.Run perf = CliErrorsTest.kiln("perf", bin.toString(), "--frames", "2", "--warmup", "1", "--output-dir", out.toString());
        assertEquals(0, perf.status(), perf.out() + perf.err());
        Path html = out.resolve("cls.html");
        String page = Files.readString(html);
        assertTrue(page.contains("<svg") && page.contains("class=\"node bpu\"") && !page.contains("http://")
                || page.contains("xmlns=\"http://www.w3.org/2000/svg\""), "self-contained page");
        assertTrue(!page.contains("src=\"http") && !page.contains("href=\"http"), "nothing loaded from the network");
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium), "headless check skipped: /usr/bin/chromium is not installed");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--enable-logging=stderr", "--v=0", "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--dump-dom", html.toUri().toString()).redirectErrorStream(false).start();
        byte[] dom;
        byte[] log;
        try {
            java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (java.io.IOException e) {
                    return new byte[0];
                }
            });
            dom = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
            log = err.get(10, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
        }
        String text = new String(dom, StandardCharsets.UTF_8);
        String console = new String(log, StandardCharsets.UTF_8);
        assertTrue(text.contains("<svg") && text.contains("Subgraphs"), "chromium rendered the page: " + text.length());
        for (String line : console.split("\n")) {
            assertTrue(!line.contains("CONSOLE") || !(line.contains("Uncaught") || line.contains("rror")),
                    "console error: " + line);
        }
        // node names of the model appear in the rendered document
        String json = Files.readString(out.resolve("cls.json"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\"name\": \"([^\"]+)\", \"type\"").matcher(json);
        int checked = 0;
        while (m.find() && checked < 10) {
            String name = m.group(1).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
            assertTrue(text.contains(name), "node " + name + " in the rendered page");
            checked++;
        }
        assertTrue(checked > 0, "the profile lists nodes");
    }
}
