package dev.kiln.core.io.caffe;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Model;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kiln.core.io.caffe.CaffeRef.assertClose;
import static dev.kiln.core.io.caffe.CaffeRef.input;
import static dev.kiln.core.io.caffe.CaffeRef.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Converted Caffe networks exported as ONNX and run by ONNX Runtime: the lowerings (explicit pool
 * padding, Pad + AveragePool, Resize modes, TopK, Clip and Split inputs) must mean the same there.
 */
class CaffeOrtLayersTest {
    private static Map<String, Tensor> ort(CaffeNets net, Map<String, Tensor> in) throws Exception {
        return OrtOracle.run(net.convert(), in);
    }

    @Test
    void poolingLoweringsMatchCaffeInOnnxRuntime() throws Exception {
        Tensor x = random(1, 2, 3, 8, 6);
        String[][] cases = {
            {"AVE", "kernel_size: 3 stride: 2 pad: 1"},
            {"AVE", "kernel_size: 3 stride: 2"},
            {"AVE", "kernel_h: 3 kernel_w: 3 stride_h: 2 stride_w: 2 pad_h: 1 pad_w: 0"},
            {"MAX", "kernel_h: 3 kernel_w: 2 stride_h: 2 stride_w: 3 pad_h: 1 pad_w: 0"},
            {"AVE", "kernel_size: 2 stride: 2 pad: 1 round_mode: FLOOR"},
        };
        CaffePoolingLayersTest.Window[] windows = {
            new CaffePoolingLayersTest.Window(3, 3, 2, 2, 1, 1, true),
            new CaffePoolingLayersTest.Window(3, 3, 2, 2, 0, 0, true),
            new CaffePoolingLayersTest.Window(3, 3, 2, 2, 1, 0, true),
            new CaffePoolingLayersTest.Window(3, 2, 2, 3, 1, 0, true),
            new CaffePoolingLayersTest.Window(2, 2, 2, 2, 1, 1, false),
        };
        for (int i = 0; i < cases.length; i++) {
            CaffeNets net = CaffePoolingLayersTest.poolNet(x.shape(), cases[i][0], cases[i][1]);
            Tensor y = ort(net, Map.of("data", x)).get("pool");
            assertClose(CaffePoolingLayersTest.caffePool(x, cases[i][0].equals("MAX"), windows[i]), y);
        }
    }

    @Test
    void resizeLoweringsMatchInOnnxRuntime() throws Exception {
        Tensor x = random(2, 1, 2, 8, 9);
        CaffeNets interp = CaffeNets.of(input("data", 1, 2, 8, 9) + """
                layer { name: "ip" type: "Interp" bottom: "data" top: "y" interp_param { zoom_factor: 3 pad_beg: -1 pad_end: -1 } }
                """);
        assertClose(CaffeResizeLayersTest.interp(x, -1, -1, 16, 19), ort(interp, Map.of("data", x)).get("y"));
        CaffeNets up = CaffeNets.of(input("data", 1, 2, 8, 9) + """
                layer { name: "up" type: "Upsample" bottom: "data" top: "y" upsample_param { scale_h: 3 scale_w: 2 } }
                """);
        assertClose(new Executor(up.convert()).run(Map.of("data", x)).get("y"), ort(up, Map.of("data", x)).get("y"));
    }

    @Test
    void argMaxMatchesCaffeInOnnxRuntime() throws Exception {
        Tensor x = random(3, 2, 3, 2, 5);
        CaffeNets pairs = CaffeNets.of(input("data", 2, 3, 2, 5) + """
                layer { name: "am" type: "ArgMax" bottom: "data" top: "y" argmax_param { top_k: 4 out_max_val: true } }
                """);
        assertClose(CaffeResizeLayersTest.argMax(x, null, 4, true), ort(pairs, Map.of("data", x)).get("y"));
        CaffeNets axis = CaffeNets.of(input("data", 2, 3, 2, 5) + """
                layer { name: "am" type: "ArgMax" bottom: "data" top: "y" argmax_param { axis: 1 } }
                """);
        assertClose(CaffeResizeLayersTest.argMax(x, 1, 1, false), ort(axis, Map.of("data", x)).get("y"));
    }

    /** A network touching most converters: ONNX Runtime and Kiln's executor agree on every output. */
    @Test
    void aMixedNetworkRunsTheSameInOnnxRuntimeAndKiln() throws Exception {
        CaffeNets net = CaffeNets.of(input("data", 1, 4, 7, 9) + input("ref", 1, 1, 5, 6) + """
                layer { name: "up" type: "Deconvolution" bottom: "data" top: "up"
                        convolution_param { num_output: 4 group: 2 kernel_size: 3 stride: 2 pad: 1 } }
                layer { name: "bn" type: "BatchNorm" bottom: "up" top: "up" }
                layer { name: "sc" type: "Scale" bottom: "up" top: "up" scale_param { bias_term: true } }
                layer { name: "act" type: "PReLU" bottom: "up" top: "up" }
                layer { name: "r6" type: "ReLU6" bottom: "up" top: "r6" }
                layer { name: "norm" type: "LRN" bottom: "r6" top: "norm" lrn_param { local_size: 3 alpha: 0.5 norm_region: WITHIN_CHANNEL } }
                layer { name: "across" type: "LRN" bottom: "norm" top: "across" lrn_param { local_size: 3 alpha: 0.1 beta: 0.6 k: 1.5 } }
                layer { name: "sl" type: "Slice" bottom: "across" top: "a" top: "b" slice_param { slice_point: 1 } }
                layer { name: "th" type: "Threshold" bottom: "a" top: "th" threshold_param { threshold: 0.1 } }
                layer { name: "sh" type: "ShuffleChannel" bottom: "b" top: "sh" shuffle_channel_param { group: 3 } }
                layer { name: "crop" type: "Crop" bottom: "sh" bottom: "ref" top: "crop" crop_param { offset: 1 } }
                layer { name: "pw" type: "Power" bottom: "crop" top: "pw" power_param { power: 3 scale: 0.5 shift: 1 } }
                layer { name: "fc" type: "InnerProduct" bottom: "pw" top: "fc" inner_product_param { num_output: 5 axis: 2 } }
                layer { name: "prob" type: "Softmax" bottom: "fc" top: "prob" softmax_param { axis: -1 } }
                """)
                .blob("up", random(10, 4, 2, 3, 3)).blob("up", random(11, 4))
                .blob("bn", random(12, 4)).blob("bn", random(13, 0.5f, 1f, 4)).blob("bn", Tensor.of(new float[] {0.9f}, 1))
                .blob("sc", random(14, 4)).blob("sc", random(15, 4)).blob("act", random(16, 4))
                .blob("fc", random(17, 5, 30)).blob("fc", random(18, 5));
        Map<String, Tensor> in = Map.of("data", random(19, 1, 4, 7, 9), "ref", random(20, 1, 1, 5, 6));
        Model m = net.convert();
        Map<String, Tensor> kiln = new Executor(m).run(in);
        Map<String, Tensor> ort = ort(net, in);
        assertEquals(kiln.keySet(), ort.keySet());
        for (String name : kiln.keySet()) {
            assertClose(kiln.get(name), ort.get(name));
        }
    }
}
