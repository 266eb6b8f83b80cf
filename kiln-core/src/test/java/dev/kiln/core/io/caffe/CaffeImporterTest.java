package dev.kiln.core.io.caffe;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Model;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The importer's frame: inputs, naming, in-place layers, outputs, phases and unsupported layers. */
class CaffeImporterTest {
    private static final String CONV_RELU = """
            name: "t"
            layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 1 dim: 3 dim: 3 } } }
            layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
                    convolution_param { num_output: 1 kernel_size: 3 pad: 1 } }
            layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
            layer { name: "drop" type: "Accuracy" bottom: "conv1" top: "acc" include { phase: TRAIN } }
            """;

    @Test
    void convReluInPlaceKeepsTheBlobNameOnTheFinalValue() {
        // 3x3 kernel of ones with bias -4.5 over 1..9: the centre sums all nine values (45 - 4.5)
        CaffeNets net = CaffeNets.of(CONV_RELU)
                .blob("conv1", Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, 1, 1, 3, 3))
                .blob("conv1", Tensor.of(new float[] {-14.5f}, 1));
        Model m = net.convert();
        assertEquals("conv1", m.graph().outputs().get(0).name());
        assertEquals(2, m.graph().nodes().size());
        assertEquals("conv1", m.graph().nodes().get(0).name());
        assertEquals("relu1", m.graph().nodes().get(1).name());
        Map<String, Tensor> out = net.run("data", Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3));
        float[] y = out.get("conv1").floats();
        // corner (0,0): 1+2+4+5 = 12 - 14.5 < 0 → 0; centre 45 - 14.5 = 30.5
        assertEquals(0f, y[0]);
        assertEquals(30.5f, y[4]);
        assertArrayEquals(new int[] {1, 1, 3, 3}, out.get("conv1").shape());
    }

    @Test
    void unsupportedLayerIsNamed() {
        CaffeNets net = CaffeNets.of("""
                layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 2 } } }
                layer { name: "odd" type: "FancyLayer" bottom: "data" top: "y" }
                """);
        KilnException e = assertThrows(KilnException.class, net::convert);
        assertEquals("Not support layer name=odd type=FancyLayer", e.getMessage());
    }

    @Test
    void missingBlobIsNamedByLayer() {
        CaffeNets net = CaffeNets.of(CONV_RELU).blob("conv1", Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, 1, 1, 2, 4));
        KilnException e = assertThrows(KilnException.class, net::convert);
        assertTrue(e.getMessage().contains("layer 'conv1' (Convolution)"), e.getMessage());
        assertTrue(e.getMessage().contains("[1, 1, 3, 3]"), e.getMessage());
    }

    @Test
    void layerWithoutBlobsInTheCaffemodelIsNamed() {
        KilnException e = assertThrows(KilnException.class, CaffeNets.of(CONV_RELU)::convert);
        assertTrue(e.getMessage().startsWith("layer 'conv1' (Convolution): the caffemodel has no blob 0 (weights)"),
                e.getMessage());
        KilnException bias = assertThrows(KilnException.class, CaffeNets.of(CONV_RELU)
                .blob("conv1", Tensor.of(new float[9], 1, 1, 3, 3))::convert);
        assertTrue(bias.getMessage().contains("no blob 1 (bias)"), bias.getMessage());
    }

    @Test
    void normalizeAndDetectionOutputStayFloatOnEveryMarch() throws Exception {
        for (String fixture : new String[] {"normalize_per_pixel", "detection_output"}) {
            java.nio.file.Path dir = java.nio.file.Path.of(getClass().getResource("/caffe-golden/" + fixture).toURI());
            Model m = CaffeImporter.load(dir.resolve("net.prototxt"), dir.resolve("net.caffemodel"), w -> { });
            dev.kiln.core.quant.QuantPlan plan = dev.kiln.core.quant.QuantPlan.build(m, dev.kiln.core.quant.QuantPlan.Options.DEFAULT);
            int floatOnly = 0;
            for (dev.kiln.core.ir.Node n : m.graph().nodes()) {
                if (n.name().startsWith("normalize_per_pixel") || n.name().startsWith("detection_out")) {
                    floatOnly++;
                    assertEquals(dev.kiln.core.quant.QuantPlan.Placement.CPU, plan.placement(n), n.name());
                    assertTrue(plan.cpuReason(n).contains("runs in float"), plan.cpuReason(n));
                }
            }
            assertTrue(floatOnly >= 4, fixture + ": " + floatOnly + " nodes");
        }
    }

    @Test
    void trainOnlyLayersAreLeftOut() {
        assertTrue(CaffeImporter.inTestPhase(layer("include { phase: TEST }")));
        assertTrue(!CaffeImporter.inTestPhase(layer("include { phase: TRAIN }")));
        assertTrue(!CaffeImporter.inTestPhase(layer("exclude { phase: TEST }")));
        assertTrue(CaffeImporter.inTestPhase(layer("")));
    }

    private static dev.kiln.core.io.caffe.proto.CaffeNet.LayerParameter layer(String rules) {
        try {
            var b = dev.kiln.core.io.caffe.proto.CaffeNet.LayerParameter.newBuilder();
            com.google.protobuf.TextFormat.merge("name: \"l\" type: \"ReLU\" " + rules, b);
            return b.build();
        } catch (com.google.protobuf.TextFormat.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
