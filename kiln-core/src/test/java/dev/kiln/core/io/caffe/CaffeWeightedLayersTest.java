package dev.kiln.core.io.caffe;

import dev.kiln.core.KilnException;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.kiln.core.io.caffe.CaffeRef.assertClose;
import static dev.kiln.core.io.caffe.CaffeRef.input;
import static dev.kiln.core.io.caffe.CaffeRef.random;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deconvolution and InnerProduct against direct loops over Caffe's blob layouts. */
class CaffeWeightedLayersTest {
    /**
     * Caffe's Deconvolution: each input pixel scatters its weights [C_in, C_out/g, kh, kw] onto the
     * output at iy·s − p + ky·d; the output is (H − 1)·s − 2p + d·(k − 1) + 1.
     */
    static double[] deconv(Tensor x, Tensor wt, float[] bias, int group, int[] k, int[] s, int[] p, int[] d, int[] outShape) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int opg = wt.dim(1);
        int o = opg * group;
        int oh = (h - 1) * s[0] - 2 * p[0] + d[0] * (k[0] - 1) + 1;
        int ow = (w - 1) * s[1] - 2 * p[1] + d[1] * (k[1] - 1) + 1;
        outShape[0] = n;
        outShape[1] = o;
        outShape[2] = oh;
        outShape[3] = ow;
        double[] out = new double[n * o * oh * ow];
        float[] xv = x.floats();
        float[] wv = wt.floats();
        for (int b = 0; b < n; b++) {
            for (int ci = 0; ci < c; ci++) {
                int gi = ci / (c / group);
                for (int oo = 0; oo < opg; oo++) {
                    int oc = gi * opg + oo;
                    for (int iy = 0; iy < h; iy++) {
                        for (int ix = 0; ix < w; ix++) {
                            for (int ky = 0; ky < k[0]; ky++) {
                                for (int kx = 0; kx < k[1]; kx++) {
                                    int y = iy * s[0] - p[0] + ky * d[0];
                                    int xx = ix * s[1] - p[1] + kx * d[1];
                                    if (y >= 0 && y < oh && xx >= 0 && xx < ow) {
                                        out[((b * o + oc) * oh + y) * ow + xx] += xv[((b * c + ci) * h + iy) * w + ix]
                                                * wv[((ci * opg + oo) * k[0] + ky) * k[1] + kx];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for (int oc = 0; oc < o && bias != null; oc++) {
                for (int i = 0; i < oh * ow; i++) {
                    out[(b * o + oc) * oh * ow + i] += bias[oc];
                }
            }
        }
        return out;
    }

    @Test
    void deconvolutionWithGroupsDilationAndANonSquareKernel() {
        Tensor x = random(1, 2, 4, 5, 7);
        Tensor wt = random(2, 4, 3, 3, 2);
        Tensor b = random(3, 6);
        CaffeNets net = CaffeNets.of(input("data", 2, 4, 5, 7) + """
                layer { name: "up" type: "Deconvolution" bottom: "data" top: "up"
                        convolution_param { num_output: 6 group: 2 kernel_h: 3 kernel_w: 2 stride_h: 2 stride_w: 3
                                            pad_h: 1 pad_w: 0 dilation: 2 } }
                """).blob("up", wt).blob("up", b);
        int[] shape = new int[4];
        double[] ref = deconv(x, wt, b.floats(), 2, new int[] {3, 2}, new int[] {2, 3}, new int[] {1, 0}, new int[] {2, 2}, shape);
        assertClose(ref, shape, net.run("data", x).get("up"));
    }

    @Test
    void deconvolutionWithoutBias() {
        Tensor x = random(4, 1, 3, 4, 4);
        Tensor wt = random(5, 3, 2, 4, 4);
        CaffeNets net = CaffeNets.of(input("data", 1, 3, 4, 4) + """
                layer { name: "up" type: "Deconvolution" bottom: "data" top: "up"
                        convolution_param { num_output: 2 kernel_size: 4 stride: 2 pad: 1 bias_term: false } }
                """).blob("up", wt);
        int[] shape = new int[4];
        double[] ref = deconv(x, wt, null, 1, new int[] {4, 4}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, shape);
        assertClose(ref, shape, net.run("data", x).get("up"));
    }

    /** y[m][j] = Σ_k x[m][k] · W[j][k] (or W[k][j] with transpose) + b[j], x flattened from axis. */
    static double[] innerProduct(Tensor x, int axis, Tensor wt, boolean transpose, float[] bias, int nOut) {
        int m = 1;
        for (int d = 0; d < axis; d++) {
            m *= x.dim(d);
        }
        int k = x.size() / m;
        double[] out = new double[m * nOut];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < nOut; j++) {
                double acc = bias == null ? 0 : bias[j];
                for (int q = 0; q < k; q++) {
                    acc += x.floats()[i * k + q] * wt.floats()[transpose ? q * nOut + j : j * k + q];
                }
                out[i * nOut + j] = acc;
            }
        }
        return out;
    }

    private static CaffeNets ipNet(int[] in, String param) {
        return CaffeNets.of(input("data", in) + "layer { name: \"fc\" type: \"InnerProduct\" bottom: \"data\" top: \"fc\""
                + " inner_product_param { " + param + " } }");
    }

    @Test
    void innerProductFlattensFromAxisOneAndTakesLegacyFourDimensionalWeights() {
        Tensor x = random(11, 3, 2, 3, 5);
        Tensor wt = random(12, 1, 1, 7, 30);
        Tensor b = random(13, 1, 1, 1, 7);
        Tensor y = ipNet(x.shape(), "num_output: 7").blob("fc", wt).blob("fc", b).run("data", x).get("fc");
        assertClose(innerProduct(x, 1, wt, false, b.floats(), 7), new int[] {3, 7}, y);
    }

    @Test
    void innerProductWithTransposedWeightsAndNoBias() {
        Tensor x = random(14, 2, 9);
        Tensor wt = random(15, 9, 4);
        Tensor y = ipNet(x.shape(), "num_output: 4 transpose: true bias_term: false").blob("fc", wt).run("data", x).get("fc");
        assertClose(innerProduct(x, 1, wt, true, null, 4), new int[] {2, 4}, y);
    }

    @Test
    void innerProductAlongALaterAxisKeepsTheLeadingShape() {
        Tensor x = random(16, 2, 3, 5, 2);
        Tensor wt = random(17, 6, 10);
        Tensor b = random(18, 6);
        Tensor y = ipNet(x.shape(), "num_output: 6 axis: 2").blob("fc", wt).blob("fc", b).run("data", x).get("fc");
        assertClose(innerProduct(x, 2, wt, false, b.floats(), 6), new int[] {2, 3, 6}, y);
        Tensor y2 = ipNet(x.shape(), "num_output: 6 axis: -2").blob("fc", wt).blob("fc", b).run("data", x).get("fc");
        assertClose(innerProduct(x, 2, wt, false, b.floats(), 6), new int[] {2, 3, 6}, y2);
    }

    @Test
    void weightBlobOfTheWrongSizeIsNamedByLayer() {
        CaffeNets net = ipNet(new int[] {1, 8}, "num_output: 3").blob("fc", random(19, 3, 7)).blob("fc", random(20, 3));
        KilnException e = assertThrows(KilnException.class, net::convert);
        assertTrue(e.getMessage().contains("layer 'fc' (InnerProduct)") && e.getMessage().contains("[3, 8]"), e.getMessage());
    }

    @Test
    void convolutionOnAnotherAxisIsRefused() {
        CaffeNets net = CaffeNets.of(input("data", 1, 2, 4, 4) + """
                layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
                        convolution_param { num_output: 2 kernel_size: 1 axis: 2 } }
                """);
        KilnException e = assertThrows(KilnException.class, net::convert);
        assertTrue(e.getMessage().contains("layer 'conv' (Convolution)") && e.getMessage().contains("axis 2"), e.getMessage());
    }
}
