package dev.kiln.core.pipeline;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.Config;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.io.onnx.OnnxExporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.quant.CalibrationTable;
import dev.kiln.core.quant.QdqBuilder;
import dev.kiln.core.quant.QuantPlan;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.testing.ModelInputs;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.util.ProgressSink;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.kiln.core.testing.GraphBuilder.i;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** makertbin on a small built featuremap model: calibration types, failures, artefacts. */
class MakertbinPipelineTest {
    @TempDir
    Path dir;

    static Model model() {
        GraphBuilder b = new GraphBuilder("small", 13);
        Value x = b.input("x", DType.FLOAT, 1, 4, 12, 12);
        Value c = b.op("Relu", b.op("Conv", List.of(x, b.weights("w", 0.3f, 8, 4, 3, 3), b.weights("b", 0.1f, 8)),
                ints("pads", 1, 1, 1, 1)));
        Value d = b.op("Conv", List.of(c, b.weights("w2", 0.2f, 8, 8, 1, 1)));
        Value s = b.op("Sigmoid", b.op("Add", List.of(c, d)));
        Value g = b.op("Flatten", b.op("GlobalAveragePool", s));
        return b.output(b.op("Gemm", List.of(g, b.weights("wf", 0.5f, 5, 8), b.weights("bf", 0.1f, 5)), i("transB", 1))).build();
    }

    private Path write(Model m, String name) {
        Path p = dir.resolve(name);
        OnnxExporter.save(m, p);
        return p;
    }

    private Path samples(int n) throws Exception {
        Path cal = Files.createDirectories(dir.resolve("cal_f32"));
        for (int k = 0; k < n; k++) {
            Npy.write(cal.resolve(String.format("s%02d.npy", k)), ModelInputs.random(model(), 50 + k).get("x"));
        }
        return cal;
    }

    private Path config(Path model, Path cal, String calibrationType) throws Exception {
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, String.join("\n",
                "model_parameters:",
                "  onnx_model: '" + model + "'",
                "  march: 'generic'",
                "  working_dir: 'out'",
                "  output_model_file_prefix: 'small'",
                "input_parameters:",
                "  input_name: 'x'",
                "  input_type_train: 'featuremap'",
                "  input_type_rt: 'featuremap'",
                "  norm_type: 'no_preprocess'",
                "calibration_parameters:",
                cal == null ? "" : "  cal_data_dir: '" + cal + "'",
                "  calibration_type: '" + calibrationType + "'",
                "compiler_parameters:",
                "  optimize_level: 'O1'",
                ""));
        return yaml;
    }

    private static String logOf(java.util.function.Consumer<RunLog> body) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (RunLog log = new RunLog(null, new PrintStream(buf, true, StandardCharsets.UTF_8))) {
            body.accept(log);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyCalibrationTypeProducesRunnableArtefacts() throws Exception {
        Path model = write(model(), "small.onnx");
        Path cal = samples(6);
        for (String type : List.of("max", "kl", "default", "mix", "skip")) {
            Config cfg = Makertbin.loadConfig(config(model, type.equals("skip") ? null : cal, type), ModelType.ONNX);
            Makertbin.Result[] r = new Makertbin.Result[1];
            String log = logOf(l -> r[0] = Makertbin.run(cfg, l, new Makertbin.Options(2, ProgressSink.NONE)));
            assertEquals(6, r[0].files().size(), type);
            assertTrue(r[0].files().containsKey("small.bin"), type + ": " + r[0].files().keySet());
            for (Path f : r[0].files().values()) {
                if (f.toString().endsWith(".onnx")) {
                    OrtOracle.run(f, r[0].reportSample());
                }
            }
            assertTrue(log.contains("Node ") && log.contains("Cosine Similarity") && log.contains("Convert to runtime bin file successfully!") && log.contains("End Model Convert"), log);
            if (type.equals("skip")) {
                assertTrue(log.toLowerCase().contains("meaningless"), "skip warns that accuracy is meaningless: " + log);
            } else {
                double cos = r[0].report().outputs().get(0).distances().cosine();
                assertTrue(cos > 0.99, type + ": output cosine " + cos);
            }
            CalibrationTable t = CalibrationTable.read(r[0].files().get("small_calibration_table.txt"));
            assertTrue(t.entries().size() >= 5, "the table lists the tensors");
        }
    }

    /** A quantization-aware model (built here as the fake-quantized model of a known table) converts with load. */
    @Test
    void loadTakesTheThresholdsOfTheQuantizationNodes() throws Exception {
        Model m = model();
        CalibrationTable known = new CalibrationTable("max", true);
        for (Value v : m.graph().allValues()) {
            if (!v.isConstant() && v.type().dtype() == DType.FLOAT) {
                known.put(new CalibrationTable.Entry(v.name(), -3f, 3f, 2.5f + v.name().length() * 0.01f, "max"));
            }
        }
        QuantPlan plan = QuantPlan.build(m, QuantPlan.Options.DEFAULT);
        Model qat = QdqBuilder.calibrated(m, plan, known).model();
        Path model = write(qat, "qat.onnx");
        Config cfg = Makertbin.loadConfig(config(model, null, "load"), ModelType.ONNX);
        Makertbin.Result r = Makertbin.run(cfg, RunLog.silent(), new Makertbin.Options(2, ProgressSink.NONE));
        for (Value v : plan.quantized().keySet()) {
            String src = plan.scaleSource(v).name();
            assertEquals(known.get(src).threshold(), r.table().get(src).threshold(), 1e-5f, src);
        }
        assertTrue(r.optimized().graph().nodes().stream().noneMatch(n -> n.opType().endsWith("QuantizeLinear")),
                "the optimized float model has no quantization nodes left");
    }

    @Test
    void aFailedRunLeavesNoArtefacts() throws Exception {
        Path model = write(model(), "small.onnx");
        Path cal = Files.createDirectories(dir.resolve("bad_f32"));
        Files.write(cal.resolve("sample.bin"), new byte[100]); // 1x4x12x12 float32 needs 2304 bytes
        Config cfg = Makertbin.loadConfig(config(model, cal, "max"), ModelType.ONNX);
        KilnException e = assertThrows(KilnException.class,
                () -> Makertbin.run(cfg, RunLog.silent(), new Makertbin.Options(2, ProgressSink.NONE)));
        assertTrue(e.getMessage().contains("sample.bin") && e.getMessage().contains("100 bytes")
                && e.getMessage().contains("2304"), e.getMessage());
        Path out = dir.resolve("out");
        try (Stream<Path> s = Files.exists(out) ? Files.list(out) : Stream.empty()) {
            assertEquals(List.of(), s.toList(), "nothing left in working_dir");
        }
    }

    @Test
    void reportLinesHaveTheSpecColumnsAndCutLongNames() throws Exception {
        Path model = write(model(), "small.onnx");
        Config cfg = Makertbin.loadConfig(config(model, samples(3), "max"), ModelType.ONNX);
        Makertbin.Result r = Makertbin.run(cfg, RunLog.silent(), new Makertbin.Options(1, ProgressSink.NONE));
        List<String> lines = r.report().lines();
        assertTrue(lines.get(1).startsWith("Node") && lines.get(1).contains("ON") && lines.get(1).contains("Subgraph")
                && lines.get(1).contains("Type") && lines.get(1).contains("Cosine Similarity")
                && lines.get(1).contains("Threshold") && lines.get(1).contains("DataType"), lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.contains("BPU") && l.contains("id(0)") && l.contains("Conv")
                && l.contains("int8")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("L1 Distance") && l.contains("Chebyshev")));
        assertEquals("...jklmnopqrstuvwxyz0123456789", dev.kiln.core.report.NodeReport.cut(
                "abcdefghijklmnopqrstuvwxyz0123456789", 30));
        assertEquals("short", dev.kiln.core.report.NodeReport.cut("short", 30));
    }
}
