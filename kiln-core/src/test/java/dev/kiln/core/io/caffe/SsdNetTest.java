package dev.kiln.core.io.caffe;

import dev.kiln.core.ir.Model;
import dev.kiln.core.passes.Optimizer;
import dev.kiln.core.passes.PassLog;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiny SSD-like networks, converted whole, run in Kiln and in ONNX Runtime with the same detections. */
class SsdNetTest {
    private static final String STEM = """
            layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
            layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
                    convolution_param { num_output: 4 kernel_size: 3 pad: 1 stride: 2 } }
            layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
            layer { name: "conv1_norm" type: "Normalize" bottom: "conv1" top: "conv1_norm"
                    norm_param { across_spatial: false channel_shared: false } }
            layer { name: "loc" type: "Convolution" bottom: "conv1_norm" top: "loc"
                    convolution_param { num_output: 8 kernel_size: 3 pad: 1 } }
            layer { name: "loc_perm" type: "Permute" bottom: "loc" top: "loc_perm" permute_param { order: 0 order: 2 order: 3 order: 1 } }
            layer { name: "conf" type: "Convolution" bottom: "conv1_norm" top: "conf"
                    convolution_param { num_output: 6 kernel_size: 3 pad: 1 } }
            layer { name: "conf_perm" type: "Permute" bottom: "conf" top: "conf_perm" permute_param { order: 0 order: 2 order: 3 order: 1 } }
            layer { name: "prior" type: "PriorBox" bottom: "conv1_norm" bottom: "data" top: "prior"
                    prior_box_param { min_size: 3 max_size: 6 clip: false variance: 0.1 variance: 0.1 variance: 0.2 variance: 0.2 } }
            """;

    private static final String DETECT = """
            layer { name: "detection_out" type: "DetectionOutput" bottom: "%s" bottom: "%s" bottom: "%s" top: "detection_out"
                    detection_output_param { num_classes: 3 background_label_id: 0 code_type: CENTER_SIZE
                                             nms_param { nms_threshold: 0.45 top_k: 20 } keep_top_k: 10
                                             confidence_threshold: %s } }
            """;

    @Test
    void convNormalizePermutePriorBoxDetectionOutput() throws Exception {
        // raw conf logits (no Softmax) as scores; loc and conf read straight from the permuted maps
        CaffeNets n = weights(CaffeNets.of(STEM + DETECT.formatted("loc_perm", "conf_perm", "prior", "0.2")));
        float[][] rows = run(n);
        assertTrue(rows.length > 1 && rows[0][1] > 0, "detections expected: " + java.util.Arrays.deepToString(rows));
    }

    @Test
    void optimizedNetworkGivesTheSameDetections() throws Exception {
        CaffeNets n = weights(CaffeNets.of(STEM + DETECT.formatted("loc_perm", "conf_perm", "prior", "0.2")));
        float[][] before = run(n);
        Model m = n.convert();
        Optimizer.standardManager().withVerification(true).run(m, PassLog.none());
        float[][] after = DetectionOutputTest.runBoth(m, input());
        DetectionOutputTest.assertRows(before, after);
    }

    @Test
    void classicHeadWithFlattenSoftmaxAndConcat() throws Exception {
        for (String t : new String[] {"Flatten", "Reshape", "Softmax", "Concat"}) {
            Assumptions.assumeTrue(CaffeLayers.find(t) != null, t + " has no converter yet");
        }
        String head = """
                layer { name: "loc_flat" type: "Flatten" bottom: "loc_perm" top: "loc_flat" flatten_param { axis: 1 } }
                layer { name: "conf_flat" type: "Flatten" bottom: "conf_perm" top: "conf_flat" flatten_param { axis: 1 } }
                layer { name: "mbox_loc" type: "Concat" bottom: "loc_flat" top: "mbox_loc" concat_param { axis: 1 } }
                layer { name: "mbox_conf" type: "Concat" bottom: "conf_flat" top: "mbox_conf" concat_param { axis: 1 } }
                layer { name: "mbox_priorbox" type: "Concat" bottom: "prior" top: "mbox_priorbox" concat_param { axis: 2 } }
                layer { name: "conf_reshape" type: "Reshape" bottom: "mbox_conf" top: "conf_reshape"
                        reshape_param { shape { dim: 0 dim: -1 dim: 3 } } }
                layer { name: "conf_softmax" type: "Softmax" bottom: "conf_reshape" top: "conf_softmax" softmax_param { axis: 2 } }
                layer { name: "conf_soft_flat" type: "Flatten" bottom: "conf_softmax" top: "conf_soft_flat" flatten_param { axis: 1 } }
                """;
        CaffeNets n = weights(CaffeNets.of(STEM + head
                + DETECT.formatted("mbox_loc", "conf_soft_flat", "mbox_priorbox", "0.35")));
        float[][] rows = run(n);
        assertTrue(rows.length > 1 && rows[0][1] > 0, "detections expected: " + java.util.Arrays.deepToString(rows));
        for (float[] r : rows) {
            assertTrue(r[2] > 0.35f && r[2] <= 1f, "softmax scores above the threshold");
        }
    }

    private static CaffeNets weights(CaffeNets n) {
        return n.blob("conv1", Tensor.of(SsdLayersTest.random(4 * 3 * 9, 11), 4, 3, 3, 3))
                .blob("conv1", Tensor.of(new float[] {0.1f, 0.1f, 0.1f, 0.1f}, 4))
                .blob("conv1_norm", Tensor.of(new float[] {20, 20, 20, 20}, 4))
                .blob("loc", Tensor.of(scaled(SsdLayersTest.random(8 * 4 * 9, 12), 0.05f), 8, 4, 3, 3))
                .blob("loc", Tensor.of(new float[8], 8))
                .blob("conf", Tensor.of(scaled(SsdLayersTest.random(6 * 4 * 9, 13), 0.1f), 6, 4, 3, 3))
                .blob("conf", Tensor.of(new float[6], 6));
    }

    private static float[] scaled(float[] x, float s) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= s;
        }
        return x;
    }

    private static float[][] run(CaffeNets n) throws Exception {
        Model m = n.convert();
        assertEquals(1, m.graph().outputs().size());
        assertEquals("detection_out", m.graph().outputs().get(0).name());
        return DetectionOutputTest.runBoth(m, input());
    }

    private static Map<String, Tensor> input() {
        return Map.of("data", Tensor.of(SsdLayersTest.random(3 * 64, 14), 1, 3, 8, 8));
    }
}
