package dev.kiln.core.pipeline;

import dev.kiln.core.config.Config;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.io.TensorFiles;
import dev.kiln.core.report.NodeReport;
import dev.kiln.core.testing.TestData;
import dev.kiln.core.util.ProgressSink;
import dev.kiln.runtime.engine.BinPackage;
import dev.kiln.runtime.engine.Input;
import dev.kiln.runtime.engine.LoadedModel;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * makertbin --model-type caffe end to end on real models:
 * <ul>
 * <li>UltraFace RFB-320 and slim-320 from Caffe and from ONNX give the same node table (where each
 *     node runs, its subgraph and type), names aside.</li>
 * <li>LeNet (legacy V1) converts for a gray camera input; its int8 .bin, run by Kiln's runtime on
 *     the 1,000 MNIST digits, stays within 0.3 points of the float model's top-1.</li>
 * </ul>
 */
class MakertbinCaffeTest {
    private static final double LENET_INT8_MAX_DROP = 0.003;

    @TempDir
    Path dir;

    @Test
    void ultraFaceCaffeAndOnnxGiveTheSameNodeTable() throws IOException {
        Path caffe = TestData.require("models/ultraface/caffe");
        Path onnx = TestData.require("models/ultraface/onnx");
        Path cal = UltraFaceConfigs.faces(dir, "faces", 4);
        for (String[] v : new String[][] {{"RFB-320/RFB-320", "version-RFB-320"}, {"Slim-320/slim-320", "version-slim-320"}}) {
            String tag = v[1].replace("version-", "");
            String fromCaffe = "  prototxt: '" + caffe.resolve(v[0] + ".prototxt") + "'\n  caffe_model: '"
                    + caffe.resolve(v[0] + ".caffemodel") + "'";
            String fromOnnx = "  onnx_model: '" + onnx.resolve(v[1] + "_without_postprocessing.onnx") + "'";
            Makertbin.Result c = run(UltraFaceConfigs.write(dir, tag + "_caffe", fromCaffe, "bayes-e", "nv12", cal, "max"), ModelType.CAFFE);
            Makertbin.Result o = run(UltraFaceConfigs.write(dir, tag + "_onnx", fromOnnx, "bayes-e", "nv12", cal, "max"), ModelType.ONNX);
            assertEquals(table(o.report()), table(c.report()), tag + ": node table from ONNX vs from Caffe");
            assertEquals(o.files().keySet().size(), c.files().keySet().size(), tag + ": the same artefacts");
        }
    }

    /** Rows without the node names: ON, subgraph, type, counted (the two graphs order nodes differently). */
    private static List<String> table(NodeReport r) {
        List<String> rows = new ArrayList<>();
        for (NodeReport.Row row : r.rows()) {
            rows.add(row.on() + " " + row.subgraph() + " " + row.type());
        }
        rows.sort(null);
        return rows;
    }

    private Makertbin.Result run(Path yaml, ModelType type) {
        Config cfg = Makertbin.loadConfig(yaml, type);
        return Makertbin.run(cfg, RunLog.silent(), new Makertbin.Options(2, ProgressSink.NONE));
    }

    /**
     * CIFAR-10 quick and full (legacy V1, full with LRN) convert with photos as calibration data: the
     * .bin computes what Kiln's execution of the quantized model computes, ONNX Runtime runs the
     * quantized model, and the int8 class scores stay close to the float ones on the report's sample.
     */
    @Test
    void cifar10V1ModelsConvert() throws IOException {
        Path models = TestData.require("models/caffe-bvlc-v1");
        Path cal = Files.createDirectories(dir.resolve("cifar_cal"));
        try (java.util.stream.Stream<Path> s = Files.list(TestData.require("images/misc"))) {
            for (Path p : s.sorted().toList()) {
                Files.copy(p, cal.resolve(p.getFileName()));
            }
        }
        for (String[] v : new String[][] {{"cifar10_quick", "cifar10_quick_iter_5000"}, {"cifar10_full", "cifar10_full_iter_70000"}}) {
            Path yaml = dir.resolve(v[0] + ".yaml");
            Files.writeString(yaml, String.join("\n",
                    "model_parameters:",
                    "  prototxt: '" + models.resolve(v[0] + ".prototxt") + "'",
                    "  caffe_model: '" + models.resolve(v[1] + ".caffemodel") + "'",
                    "  march: 'bernoulli2'",
                    "  working_dir: '" + dir.resolve(v[0]) + "'",
                    "  output_model_file_prefix: '" + v[0] + "'",
                    "input_parameters:",
                    "  input_type_train: 'rgb'",
                    "  input_layout_train: 'NCHW'",
                    "  input_type_rt: 'nv12'",
                    "  norm_type: 'data_mean'",
                    "  mean_value: 120 120 120",
                    "calibration_parameters:",
                    "  cal_data_dir: '" + cal + "'",
                    "  preprocess_on: True",
                    "  calibration_type: 'max'",
                    "compiler_parameters:",
                    "  optimize_level: 'O3'",
                    ""));
            Makertbin.Result r = run(yaml, ModelType.CAFFE);
            Map<String, Tensor> sample = r.reportSample();
            dev.kiln.core.ir.Model qm = dev.kiln.core.io.onnx.OnnxImporter.load(r.files().get(v[0] + "_quantized_model.onnx"));
            Map<String, Tensor> want = new dev.kiln.core.exec.Executor(qm).run(sample);
            LoadedModel lm = BinPackage.open(r.files().get(v[0] + ".bin")).load(v[0], 1);
            dev.kiln.core.compile.BinChecks.assertSame(want, lm.runProgram(sample, null), v[0] + ".bin");
            try {
                Map<String, Tensor> ort = dev.kiln.core.testing.OrtOracle.run(r.files().get(v[0] + "_quantized_model.onnx"), sample);
                assertEquals(want.keySet(), ort.keySet(), v[0] + " in ONNX Runtime");
            } catch (Exception e) {
                throw new AssertionError(v[0] + ": ONNX Runtime cannot run the quantized model", e);
            }
            for (NodeReport.OutputRow row : r.report().outputs()) {
                System.out.printf("%s int8 vs float, output %s: cosine %.5f%n", v[0], row.output(), row.distances().cosine());
                assertTrue(row.distances().cosine() >= 0.99, v[0] + " output " + row.output() + " cosine "
                        + row.distances().cosine());
            }
        }
    }

    @Test
    void lenetInt8BinStaysCloseToFloat() throws IOException {
        Path models = TestData.require("models/caffe-bvlc-v1");
        Tensor digits = TensorFiles.read(TestData.require("mnist/digits-1000-uint8.npy"));
        Tensor labels = TensorFiles.read(TestData.require("mnist/labels-1000-uint8.npy"));
        // calibration: 100 of the digits as 1x1x28x28 uint8 samples in the training layout
        Path cal = Files.createDirectories(dir.resolve("mnist_cal"));
        for (int i = 0; i < 100; i++) {
            Tensor t = Tensor.allocate(DType.UINT8, 1, 1, 28, 28);
            for (int k = 0; k < 784; k++) {
                t.setLong(k, digits.getLong(i * 784 + k));
            }
            TensorFiles.writeNpy(cal.resolve(String.format("digit_%03d.npy", i)), t);
        }
        Path yaml = dir.resolve("lenet.yaml");
        Files.writeString(yaml, String.join("\n",
                "model_parameters:",
                "  prototxt: '" + models.resolve("lenet.prototxt") + "'",
                "  caffe_model: '" + models.resolve("lenet_iter_10000.caffemodel") + "'",
                "  march: 'bernoulli2'",
                "  working_dir: '" + dir.resolve("lenet") + "'",
                "  output_model_file_prefix: 'lenet'",
                "input_parameters:",
                "  input_name: 'data'",
                "  input_shape: '1x1x28x28'",
                "  input_type_train: 'gray'",
                "  input_layout_train: 'NCHW'",
                "  input_type_rt: 'gray'",
                "  input_layout_rt: 'NCHW'",
                "  norm_type: 'data_scale'",
                "  scale_value: 0.00390625",
                "calibration_parameters:",
                "  cal_data_dir: '" + cal + "'",
                "  calibration_type: 'default'",
                "compiler_parameters:",
                "  optimize_level: 'O3'",
                ""));
        Makertbin.Result r = run(yaml, ModelType.CAFFE);
        double floatTop1 = dev.kiln.core.models.CaffeModelsTest.lenetTop1(dev.kiln.core.io.caffe.CaffeImporter.load(
                models.resolve("lenet.prototxt"), models.resolve("lenet_iter_10000.caffemodel"),
                Map.of("data", new int[] {1, 1, 28, 28}), w -> { }), digits, labels);
        LoadedModel lm = BinPackage.open(r.files().get("lenet.bin")).load("lenet", 1);
        String in = lm.inputs().get(0).name();
        int correct = 0;
        for (int i = 0; i < 1000; i++) {
            byte[] px = new byte[784];
            for (int k = 0; k < 784; k++) {
                px[k] = (byte) digits.getLong(i * 784 + k);
            }
            float[] p = lm.infer(Map.of(in, Input.bytes(px))).values().iterator().next().dequantized().floats();
            correct += dev.kiln.core.models.CaffeModelsTest.argmax(p) == labels.getLong(i) ? 1 : 0;
        }
        double int8Top1 = correct / 1000.0;
        System.out.printf("LeNet (V1) on 1,000 MNIST digits: float top-1 %.3f, int8 .bin top-1 %.3f%n", floatTop1, int8Top1);
        assertTrue(floatTop1 >= 0.998, "float top-1 of the original float model " + floatTop1);
        assertTrue(floatTop1 - int8Top1 <= LENET_INT8_MAX_DROP + 1e-9,
                "int8 .bin top-1 " + int8Top1 + " vs float " + floatTop1);
    }

    /**
     * An SSD head (Permute, Flatten, Softmax, PriorBox, DetectionOutput; OpenCV's golden fixture
     * network) converts with real calibration data: the DetectionOutput subgraph stays float on the
     * CPU, the .bin computes what Kiln's execution of the quantized model computes, and ONNX Runtime
     * runs the quantized model.
     */
    @Test
    void ssdHeadConvertsWithItsDetectionOutputOnCpu() throws Exception {
        Path net;
        try {
            net = Path.of(MakertbinCaffeTest.class.getResource("/caffe-golden/detection_output").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path cal = Files.createDirectories(dir.resolve("ssd_cal"));
        java.util.Random rnd = new java.util.Random(7);
        Tensor sample = TensorFiles.read(net.resolve("input.npy"));
        for (int i = 0; i < 8; i++) {
            float[] x = sample.floats().clone();
            for (int k = 0; k < x.length; k++) {
                x[k] += (float) rnd.nextGaussian() * 0.1f;
            }
            TensorFiles.writeNpy(cal.resolve("s" + i + ".npy"), Tensor.of(x, sample.shape()));
        }
        Path yaml = dir.resolve("ssd.yaml");
        Files.writeString(yaml, String.join("\n",
                "model_parameters:",
                "  prototxt: '" + net.resolve("net.prototxt") + "'",
                "  caffe_model: '" + net.resolve("net.caffemodel") + "'",
                "  march: 'bernoulli2'",
                "  working_dir: '" + dir.resolve("ssd") + "'",
                "  output_model_file_prefix: 'ssd'",
                "input_parameters:",
                "  input_type_train: 'featuremap'",
                "  input_layout_train: 'NCHW'",
                "  input_type_rt: 'featuremap'",
                "  input_layout_rt: 'NCHW'",
                "  norm_type: 'no_preprocess'",
                "calibration_parameters:",
                "  cal_data_dir: '" + cal + "'",
                "  cal_data_type: 'float32'",
                "  calibration_type: 'max'",
                "compiler_parameters:",
                "  optimize_level: 'O3'",
                ""));
        Makertbin.Result r = run(yaml, ModelType.CAFFE);
        for (NodeReport.Row row : r.report().rows()) {
            if (row.node().startsWith("detection_out")) {
                assertEquals("CPU", row.on(), row.node() + " of the DetectionOutput runs in float");
            }
        }
        dev.kiln.core.ir.Model qm = dev.kiln.core.io.onnx.OnnxImporter.load(r.files().get("ssd_quantized_model.onnx"));
        Map<String, Tensor> in = Map.of("data", sample);
        Map<String, Tensor> want = new dev.kiln.core.exec.Executor(qm).run(in);
        LoadedModel lm = BinPackage.open(r.files().get("ssd.bin")).load("ssd", 1);
        dev.kiln.core.compile.BinChecks.assertSame(want, lm.runProgram(in, null), "ssd.bin");
        Map<String, Tensor> ort = dev.kiln.core.testing.OrtOracle.run(r.files().get("ssd_quantized_model.onnx"), in);
        assertEquals(want.keySet(), ort.keySet());
    }
}
