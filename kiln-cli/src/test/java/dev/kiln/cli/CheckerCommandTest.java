package dev.kiln.cli;

import dev.kiln.core.io.onnx.OnnxExporter;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kiln checker: the node table and the CPU-fallback lines on the bundled example, on a model with a
 * 9x9 convolution (bernoulli2 vs generic) and on UltraFace; kiln_checker.log; exit status and one
 * error message for a missing file, a bad --input-shape, an unknown --march, a dynamic input.
 */
class CheckerCommandTest {
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} ";

    @TempDir
    static Path dir;
    static Path root;
    static Path cls;
    static Path conv9;

    @BeforeAll
    static void models() {
        System.setProperty("kiln.log.dir", dir.toString());
        root = Path.of("..").toAbsolutePath().normalize();
        cls = root.resolve("examples/ppocr-cls/ch_ppocr_mobile_v2.0_cls_infer.onnx");
        // x (1x4x16x16) -> Conv 9x9 (pads 4) -> Relu -> Conv 3x3 -> y
        Graph g = new Graph("conv9");
        Value x = g.addInput("x", TensorType.of(DType.FLOAT, 1, 4, 16, 16));
        Value w1 = g.addInitializer("w1", new ConstTensor(weights(8, 4, 9, 9)));
        Value w2 = g.addInitializer("w2", new ConstTensor(weights(8, 8, 3, 3)));
        var big = g.addNode("big_conv", "Conv", "", pads(4), Arrays.asList(x, w1), List.of("a"));
        var relu = g.addNode("relu", "Relu", "", null, List.of(big.output(0)), List.of("b"));
        var small = g.addNode("small_conv", "Conv", "", pads(1), Arrays.asList(relu.output(0), w2), List.of("y"));
        g.addOutput(small.output(0));
        Model m = new Model(g);
        m.opsets().put("", 13L);
        conv9 = dir.resolve("conv9.onnx");
        OnnxExporter.save(m, conv9);
    }

    private static Attributes pads(int p) {
        Attributes a = new Attributes();
        a.put(Attribute.of("pads", new long[] {p, p, p, p}));
        return a;
    }

    private static Tensor weights(int... shape) {
        Tensor t = Tensor.allocate(DType.FLOAT, shape);
        for (int i = 0; i < t.size(); i++) {
            t.setDouble(i, ((i * 37) % 17 - 8) / 40.0);
        }
        return t;
    }

    /** A file or folder of the shared test data; the test is skipped, with the reason, when it is absent. */
    private static Path testData(String relative) {
        Path p = Path.of(System.getProperty("kiln.testdata", "../../shared/testdata")).resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "test data " + p + " is absent (set -Dkiln.testdata)");
        return p;
    }

    private static CliErrorsTest.Run checker(String... args) {
        return CliErrorsTest.kiln(concat(new String[] {"checker"}, args));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The table row of a node: "name  ON  Subgraph  Type  in/out". */
    private static String[] row(String out, String node) {
        for (String l : out.split("\n")) {
            String[] f = l.replaceFirst(TIMESTAMP + "INFO ", "").trim().split("\\s+");
            if (f.length == 5 && f[0].equals(node)) {
                return f;
            }
        }
        throw new AssertionError("no row for " + node + " in\n" + out);
    }

    private static void assertFailed(CliErrorsTest.Run r, String... mustContain) {
        assertEquals(1, r.status(), r.out() + r.err());
        String all = r.out() + r.err();
        for (String s : mustContain) {
            assertTrue(all.contains(s), "'" + s + "' in\n" + all);
        }
        assertTrue(!all.contains("\tat "), "no stack trace");
    }

    @Test
    void nineByNineConvRunsOnCpuOnBernoulli2AndOnBpuOnGeneric() throws Exception {
        CliErrorsTest.Run x3 = checker("--model-type", "onnx", "--model", conv9.toString(), "--march", "bernoulli2");
        assertEquals(0, x3.status(), x3.out() + x3.err());
        assertTrue(x3.out().contains("In/Out DataType"), x3.out());
        assertEquals(List.of("big_conv", "CPU", "--", "Conv", "float32/float32"), List.of(row(x3.out(), "big_conv")));
        assertEquals(List.of("small_conv", "BPU", "id(0)", "Conv", "int8/int8"), List.of(row(x3.out(), "small_conv")));
        assertTrue(x3.out().matches("(?s).*" + TIMESTAMP + "INFO Layer big_conv will be executed on CPU: Conv kernel 9x9 "
                + "exceeds 7x7 on bernoulli2\n.*"), x3.out());
        assertFalse(x3.out().contains("Layer small_conv will be executed on CPU"), x3.out());
        String log = Files.readString(dir.resolve("kiln_checker.log"));
        assertTrue(log.contains("Layer big_conv will be executed on CPU: Conv kernel 9x9 exceeds 7x7")
                && log.contains("End Model Check"), log);
        assertTrue(log.lines().allMatch(l -> l.matches(TIMESTAMP + "(INFO|WARNING) .*")), log);

        CliErrorsTest.Run generic = checker("--model-type", "onnx", "--model", conv9.toString(), "--march", "generic");
        assertEquals(0, generic.status(), generic.out() + generic.err());
        assertEquals("BPU", row(generic.out(), "big_conv")[1]);
        assertEquals("id(0)", row(generic.out(), "big_conv")[2]);
        assertFalse(generic.out().contains("will be executed on CPU"), generic.out());
    }

    @Test
    void exampleModelNeedsItsDynamicBatchGivenAndThenChecks() {
        CliErrorsTest.Run dynamic = checker("--model-type", "onnx", "--model", cls.toString(), "--march", "bernoulli2");
        assertFailed(dynamic, "input 'x' has dynamic dims", "--input-shape x", "exception in command: checker");

        CliErrorsTest.Run r = checker("--model-type", "onnx", "--model", cls.toString(), "--march", "bernoulli2",
                "--input-shape", "x", "1x3x48x192");
        assertEquals(0, r.status(), r.out() + r.err());
        long rows = r.out().lines().filter(l -> l.matches(TIMESTAMP + "INFO \\S+\\s+(BPU|CPU)\\s+(id\\(\\d+\\)|--)\\s+\\S+"
                + "\\s+\\S+/\\S+")).count();
        long cpu = r.out().lines().filter(l -> l.matches(TIMESTAMP + "INFO \\S+\\s+CPU\\s+--.*")).count();
        long layers = r.out().lines().filter(l -> l.contains(" will be executed on CPU: ")).count();
        assertTrue(rows > 20, r.out());
        assertTrue(cpu > 0, "the classifier's Reshape/Softmax tail runs on the CPU on bernoulli2:\n" + r.out());
        assertEquals(cpu, layers, "one Layer line per CPU row");
        assertTrue(r.out().contains("End Model Check"), r.out());
    }

    @Test
    void ultraFaceChecksOnEveryMarch() {
        Path model = testData("models/ultraface/onnx/version-RFB-320.onnx");
        for (String march : List.of("bernoulli2", "bayes-e", "generic")) {
            CliErrorsTest.Run r = checker("--model-type", "onnx", "--model", model.toString(), "--march", march);
            assertEquals(0, r.status(), march + ": " + r.out() + r.err());
            assertTrue(r.out().contains("End Model Check"), r.out());
            boolean dilatedOnCpu = r.out().contains("dilation 3x3 is not a power of two on bernoulli2");
            assertEquals(march.equals("bernoulli2"), dilatedOnCpu, march + ":\n" + r.out());
        }
    }

    @Test
    void errorsAreOneMessageAndANonZeroStatus() {
        assertFailed(checker("--model-type", "onnx", "--model", dir.resolve("none.onnx").toString(), "--march",
                "bernoulli2"), "none.onnx", "does not exist", "exception in command: checker");
        assertFailed(checker("--model-type", "onnx", "--model", cls.toString(), "--march", "bernoulli2", "--input-shape",
                "x", "1x3xfoo"), "--input-shape x: '1x3xfoo' is not of the form 1x3x224x224");
        assertFailed(checker("--model-type", "onnx", "--model", cls.toString(), "--march", "bernoulli2", "--input-shape",
                "data", "1x3x48x192"), "'data'", "[x]");
        assertFailed(checker("--model-type", "onnx", "--model", conv9.toString(), "--march", "x9"),
                "--march must be bernoulli2, bayes, bayes-e, nash-e, nash-m or generic, found 'x9'");
        assertFailed(checker("--model-type", "caffe", "--model", conv9.toString(), "--proto", conv9.toString(), "--march",
                "bernoulli2"), "may be swapped");
        CliErrorsTest.Run usage = checker("--model", conv9.toString(), "--march", "bernoulli2");
        assertEquals(2, usage.status(), "missing --model-type is a usage error");
    }

    @Test
    void caffeModelsCheck() throws Exception {
        Path v1 = testData("models/caffe-bvlc-v1");
        CliErrorsTest.Run lenet = checker("--model-type", "caffe", "--model", v1.resolve("lenet_iter_10000.caffemodel").toString(),
                "--proto", v1.resolve("lenet.prototxt").toString(), "--march", "bernoulli2", "--input-shape", "data", "1x1x28x28");
        assertEquals(0, lenet.status(), lenet.out() + lenet.err());
        assertTrue(row(lenet.out(), "ip1").length > 0, lenet.out());
        assertTrue(lenet.out().contains("Layer prob will be executed on CPU"), lenet.out());
        Path rfb = testData("models/ultraface/caffe/RFB-320");
        CliErrorsTest.Run uf = checker("--model-type", "caffe", "--model", rfb.resolve("RFB-320.caffemodel").toString(),
                "--proto", rfb.resolve("RFB-320.prototxt").toString(), "--march", "bayes-e");
        assertEquals(0, uf.status(), uf.out() + uf.err());
        assertTrue(uf.out().contains("End Model Check"), uf.out());
        java.nio.file.Path odd = dir.resolve("odd.prototxt");
        java.nio.file.Files.writeString(odd, "layer { name: \"data\" type: \"Input\" top: \"data\" "
                + "input_param { shape { dim: 1 dim: 2 } } }\nlayer { name: \"odd\" type: \"FancyLayer\" bottom: \"data\" top: \"y\" }\n");
        assertFailed(checker("--model-type", "caffe", "--model", v1.resolve("lenet_iter_10000.caffemodel").toString(),
                "--proto", odd.toString(), "--march", "bernoulli2"), "Not support layer name=odd type=FancyLayer");
    }
}
