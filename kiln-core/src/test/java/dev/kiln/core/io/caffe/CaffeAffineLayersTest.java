package dev.kiln.core.io.caffe;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.passes.FoldBatchNormIntoConv;
import dev.kiln.core.passes.FoldMulAddIntoConv;
import dev.kiln.core.passes.PassLog;
import dev.kiln.core.passes.PassManager;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kiln.core.io.caffe.CaffeRef.assertClose;
import static dev.kiln.core.io.caffe.CaffeRef.input;
import static dev.kiln.core.io.caffe.CaffeRef.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BatchNorm, Scale and Bias: Caffe's formulas, and the node form the Conv folds expect. */
class CaffeAffineLayersTest {
    private static final String BN = """
            layer { name: "bn" type: "BatchNorm" bottom: "data" top: "data" batch_norm_param { eps: 0.001 } }
            """;

    /** Caffe's BatchNorm at test time: (x − mean/f) / sqrt(var/f + eps), f the stored factor (1/0 read as 0). */
    private static double[] batchNorm(Tensor x, float[] mean, float[] var, float f, double eps) {
        double factor = f == 0 ? 0 : 1.0 / f;
        int c = x.dim(1);
        int plane = x.size() / (x.dim(0) * c);
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            int ch = i / plane % c;
            out[i] = (x.floats()[i] - mean[ch] * factor) / Math.sqrt(var[ch] * factor + eps);
        }
        return out;
    }

    @Test
    void batchNormDividesTheStoredStatisticsByTheFactor() {
        Tensor x = random(1, 2, 3, 4, 5);
        Tensor mean = random(2, 3);
        Tensor var = random(3, 0.1f, 2f, 3);
        CaffeNets net = CaffeNets.of(input("data", 2, 3, 4, 5) + BN).blob("bn", mean).blob("bn", var)
                .blob("bn", Tensor.of(new float[] {2.5f}, 1));
        // in place on the input: the input keeps its name, the result is the layer's output
        assertEquals("data", net.convert().graph().inputs().get(0).name());
        assertClose(batchNorm(x, mean.floats(), var.floats(), 2.5f, 1e-3), x.shape(), net.run("data", x).get("bn_out"));
        CaffeNets zero = CaffeNets.of(input("data", 2, 3, 4, 5) + BN).blob("bn", mean).blob("bn", var)
                .blob("bn", Tensor.of(new float[] {0f}, 1));
        assertClose(batchNorm(x, mean.floats(), var.floats(), 0f, 1e-3), x.shape(), zero.run("data", x).get("bn_out"));
    }

    @Test
    void batchNormWarnsOnBatchStatisticsAndExtraBlobs() {
        Tensor c3 = random(4, 0.1f, 1f, 3);
        CaffeNets net = CaffeNets.of(input("data", 1, 3, 2, 2)
                        + "layer { name: \"bn\" type: \"BatchNorm\" bottom: \"data\" top: \"y\" batch_norm_param { use_global_stats: false } }")
                .blob("bn", c3).blob("bn", c3).blob("bn", Tensor.of(new float[] {1f}, 1)).blob("bn", c3).blob("bn", c3);
        net.convert();
        assertEquals(2, net.warnings.size(), net.warnings.toString());
        assertTrue(net.warnings.get(0).contains("use_global_stats"), net.warnings.get(0));
        assertTrue(net.warnings.get(1).contains("5 blobs"), net.warnings.get(1));
    }

    @Test
    void convBatchNormScaleFoldsIntoTheConv() {
        Tensor x = random(5, 1, 2, 5, 5);
        CaffeNets net = CaffeNets.of(input("data", 1, 2, 5, 5) + """
                layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
                        convolution_param { num_output: 3 kernel_size: 3 } }
                """ + BN.replace("\"data\"", "\"conv\"") + """
                layer { name: "sc" type: "Scale" bottom: "conv" top: "conv" scale_param { bias_term: true } }
                """).blob("conv", random(6, 3, 2, 3, 3)).blob("conv", random(7, 3))
                .blob("bn", random(8, 3)).blob("bn", random(9, 0.5f, 1.5f, 3)).blob("bn", Tensor.of(new float[] {1f}, 1))
                .blob("sc", random(10, 3)).blob("sc", random(11, 3));
        Model m = net.convert();
        List<String> ops = m.graph().nodes().stream().map(Node::opType).toList();
        assertEquals(List.of("Conv", "BatchNormalization", "Mul", "Add"), ops);
        assertArrayEquals(new int[] {3, 1, 1}, m.graph().nodes().get(2).input(1).type().shape());
        Tensor before = net.run("data", x).get("conv");
        new PassManager(List.of(new FoldBatchNormIntoConv(), new FoldMulAddIntoConv())).run(m, PassLog.none());
        assertEquals(List.of("Conv"), m.graph().nodes().stream().map(Node::opType).toList());
        assertClose(before, new Executor(m).run(Map.of("data", x)).get("conv"));
    }

    /** y = x · s + b with s, b indexed by the input's axes [axis, axis + s.rank). */
    private static double[] affine(Tensor x, int axis, int[] dims, float[] s, float[] b) {
        int inner = 1;
        for (int d = axis + dims.length; d < x.rank(); d++) {
            inner *= x.dim(d);
        }
        int span = s != null ? s.length : b.length;
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            int j = i / inner % span;
            out[i] = x.floats()[i] * (s == null ? 1 : s[j]) + (b == null ? 0 : b[j]);
        }
        return out;
    }

    private static Tensor one(CaffeNets net, Tensor x) {
        return net.run("data", x).get("y");
    }

    @Test
    void scaleWithABlobAndBiasOverChannelsOrSeveralAxes() {
        Tensor x = random(21, 2, 3, 4, 5);
        Tensor s = random(22, 3);
        Tensor b = random(23, 3);
        CaffeNets net = CaffeNets.of(input("data", 2, 3, 4, 5)
                + "layer { name: \"s\" type: \"Scale\" bottom: \"data\" top: \"y\" scale_param { bias_term: true } }")
                .blob("s", s).blob("s", b);
        assertClose(affine(x, 1, new int[] {3}, s.floats(), b.floats()), x.shape(), one(net, x));
        Tensor s2 = random(24, 3, 4);
        CaffeNets two = CaffeNets.of(input("data", 2, 3, 4, 5)
                + "layer { name: \"s\" type: \"Scale\" bottom: \"data\" top: \"y\" scale_param { axis: -3 num_axes: 2 } }")
                .blob("s", s2);
        assertClose(affine(x, 1, new int[] {3, 4}, s2.floats(), null), x.shape(), one(two, x));
        Tensor s3 = random(25, 4, 5);
        CaffeNets rest = CaffeNets.of(input("data", 2, 3, 4, 5)
                + "layer { name: \"s\" type: \"Scale\" bottom: \"data\" top: \"y\" scale_param { axis: 2 num_axes: -1 } }")
                .blob("s", s3);
        assertClose(affine(x, 2, new int[] {4, 5}, s3.floats(), null), x.shape(), one(rest, x));
        Tensor k = Tensor.of(new float[] {-1.5f}, 1);
        CaffeNets scalar = CaffeNets.of(input("data", 2, 3, 4, 5)
                + "layer { name: \"s\" type: \"Scale\" bottom: \"data\" top: \"y\" scale_param { num_axes: 0 } }").blob("s", k);
        assertClose(affine(x, 1, new int[0], new float[] {-1.5f}, null), x.shape(), one(scalar, x));
    }

    @Test
    void scaleAndBiasByASecondBottom() {
        Tensor x = random(31, 2, 3, 4, 5);
        Tensor s = random(32, 2, 3);
        Tensor b = random(33, 2, 3);
        CaffeNets net = CaffeNets.of(input("data", 2, 3, 4, 5) + input("s", 2, 3) + """
                layer { name: "sc" type: "Scale" bottom: "data" bottom: "s" top: "y" scale_param { axis: 0 bias_term: true } }
                """).blob("sc", b);
        Tensor y = net.run(Map.of("data", x, "s", s)).get("y");
        assertClose(affine(x, 0, new int[] {2, 3}, s.floats(), b.floats()), x.shape(), y);
        CaffeNets bias = CaffeNets.of(input("data", 2, 3, 4, 5) + input("b", 2, 3) + """
                layer { name: "bi" type: "Bias" bottom: "data" bottom: "b" top: "y" bias_param { axis: 0 } }
                """);
        assertClose(affine(x, 0, new int[] {2, 3}, null, b.floats()), x.shape(), bias.run(Map.of("data", x, "b", b)).get("y"));
    }

    @Test
    void biasWithABlob() {
        Tensor x = random(41, 2, 3, 4);
        Tensor b = random(42, 3, 4);
        CaffeNets net = CaffeNets.of(input("data", 2, 3, 4)
                + "layer { name: \"bi\" type: \"Bias\" bottom: \"data\" top: \"y\" bias_param { num_axes: 2 } }").blob("bi", b);
        assertClose(affine(x, 1, new int[] {3, 4}, null, b.floats()), x.shape(), one(net, x));
    }
}
