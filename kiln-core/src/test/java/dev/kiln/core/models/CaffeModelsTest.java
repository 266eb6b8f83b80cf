package dev.kiln.core.models;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.TensorFiles;
import dev.kiln.core.io.caffe.CaffeImporter;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.testing.OracleCheck;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestData;
import dev.kiln.core.testing.TestImages;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real Caffe models against independent references:
 * <ul>
 * <li>UltraFace RFB-320 and slim-320: the Caffe files converted by Kiln give the outputs ONNX Runtime
 *     computes from the published ONNX versions of the same networks (max |diff| <= 1e-4 x output
 *     range) on the face photos, and ONNX Runtime runs the converted model with the same result.</li>
 * <li>LeNet (legacy V1 format): top-1 on the 1,000 MNIST digits equals OpenCV DNN's published
 *     99.8 % (input = pixel / 256).</li>
 * <li>CIFAR-10 quick and full (V1, with LRN): Kiln and ONNX Runtime agree on the converted model.</li>
 * </ul>
 */
public class CaffeModelsTest {
    private static final double LENET_OPENCV_TOP1 = 0.998;

    @TestFactory
    Stream<DynamicTest> ultraFaceCaffeMatchesOnnx() throws IOException {
        Path caffe = TestData.require("models/ultraface/caffe");
        Path onnx = TestData.require("models/ultraface/onnx");
        List<Path> images = faces(3);
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] v : new String[][] {{"RFB-320/RFB-320", "version-RFB-320"}, {"Slim-320/slim-320", "version-slim-320"}}) {
            tests.add(DynamicTest.dynamicTest(v[0], () -> {
                List<String> warnings = new ArrayList<>();
                Model m = CaffeImporter.load(caffe.resolve(v[0] + ".prototxt"), caffe.resolve(v[0] + ".caffemodel"),
                        warnings::add);
                Path ref = onnx.resolve(v[1] + "_without_postprocessing.onnx");
                Executor ex = new Executor(m, 2);
                String input = m.graph().inputs().get(0).name();
                String refInput = OnnxImporter.load(ref).graph().inputs().get(0).name();
                for (Path img : images) {
                    Tensor x = TestImages.rgbNchw(img, 320, 240, 127f, 128f);
                    Map<String, Tensor> kiln = ex.run(Map.of(input, x));
                    double err = OracleCheck.assertAgrees(v[0] + " (Caffe, Kiln) vs " + ref.getFileName()
                            + " (ONNX Runtime) on " + img.getFileName(), OrtOracle.run(ref, Map.of(refInput, x)), kiln);
                    System.out.printf("%s from Caffe vs %s in ONNX Runtime on %s: max |diff| %.2e of the output range%n",
                            v[0], ref.getFileName(), img.getFileName(), err);
                    OracleCheck.assertAgrees(v[0] + " converted, in ONNX Runtime, on " + img.getFileName(),
                            OrtOracle.run(m, Map.of(input, x)), kiln);
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void lenetV1ReachesOpenCvTop1OnMnist() throws Exception {
        Path dir = TestData.require("models/caffe-bvlc-v1");
        List<String> warnings = new ArrayList<>();
        // the prototxt declares a batch of 64; the digits are fed one at a time
        Model m = CaffeImporter.load(dir.resolve("lenet.prototxt"), dir.resolve("lenet_iter_10000.caffemodel"),
                Map.of("data", new int[] {1, 1, 28, 28}), warnings::add);
        Tensor digits = TensorFiles.read(TestData.require("mnist/digits-1000-uint8.npy"));
        Tensor labels = TensorFiles.read(TestData.require("mnist/labels-1000-uint8.npy"));
        double top1 = lenetTop1(m, digits, labels);
        assertTrue(top1 >= LENET_OPENCV_TOP1, "LeNet top-1 " + top1 + " < OpenCV DNN's " + LENET_OPENCV_TOP1);
    }

    /** Top-1 of a LeNet float model with a 1x1x28x28 input (pixel / 256). */
    public static double lenetTop1(Model m, Tensor digits, Tensor labels) {
        int n = digits.shape()[0];
        String input = m.graph().inputs().get(0).name();
        Executor ex = new Executor(m, 2);
        String output = m.graph().outputs().get(0).name();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            float[] x = new float[28 * 28];
            for (int k = 0; k < x.length; k++) {
                x[k] = digits.getLong(i * 784 + k) / 256f;
            }
            float[] p = ex.run(Map.of(input, Tensor.of(x, 1, 1, 28, 28))).get(output).floats();
            correct += argmax(p) == labels.getLong(i) ? 1 : 0;
        }
        return correct / (double) n;
    }

    public static int argmax(float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            best = p[k] > p[best] ? k : best;
        }
        return best;
    }

    @TestFactory
    Stream<DynamicTest> cifar10V1ModelsRunLikeOnnxRuntime() throws IOException {
        Path dir = TestData.require("models/caffe-bvlc-v1");
        Path misc = TestData.require("images/misc");
        List<Path> images;
        try (Stream<Path> s = Files.list(misc)) {
            images = s.filter(p -> p.toString().toLowerCase().matches(".*\\.(jpg|jpeg|png)$")).sorted().limit(3).toList();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] v : new String[][] {{"cifar10_quick", "cifar10_quick_iter_5000"}, {"cifar10_full", "cifar10_full_iter_70000"}}) {
            tests.add(DynamicTest.dynamicTest(v[0], () -> {
                Model m = CaffeImporter.load(dir.resolve(v[0] + ".prototxt"), dir.resolve(v[1] + ".caffemodel"), w -> { });
                String input = m.graph().inputs().get(0).name();
                assertEquals(List.of(1, 3, 32, 32), java.util.Arrays.stream(m.graph().inputs().get(0).type().shape()).boxed().toList());
                Executor ex = new Executor(m, 2);
                for (Path img : images) {
                    // the CIFAR-10 examples were trained on mean-subtracted 0..255 pixels
                    Tensor x = TestImages.rgbNchw(img, 32, 32, 120f, 1f);
                    Map<String, Tensor> kiln = ex.run(Map.of(input, x));
                    OracleCheck.assertAgrees(v[0] + " on " + img.getFileName(), OrtOracle.run(m, Map.of(input, x)), kiln);
                }
            }));
        }
        return tests.stream();
    }

    static List<Path> faces(int count) throws IOException {
        try (Stream<Path> s = Files.list(TestData.require("images/faces"))) {
            return s.filter(p -> p.toString().toLowerCase().matches(".*\\.(jpg|jpeg|png)$")).sorted().limit(count).toList();
        }
    }
}
