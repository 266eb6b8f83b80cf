package dev.kiln.core.io.caffe;

import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.kiln.core.KilnException;
import dev.kiln.core.io.caffe.proto.CaffeNet.LayerParameter;
import dev.kiln.core.io.caffe.proto.CaffeNet.NetParameter;
import dev.kiln.core.io.caffe.proto.CaffeNet.Phase;
import dev.kiln.core.io.caffe.proto.CaffeNet.V1LayerParameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** V1 layers and legacy inputs through {@link CaffeUpgrade}, via {@link CaffeReader#parseText}. */
class CaffeUpgradeTest {
    private static final String FILE = "net.prototxt";
    private static final String RELU = "layer { name: \"r\" type: \"ReLU\" bottom: \"data\" top: \"r\" }\n";

    private static NetParameter parse(String text) {
        return CaffeReader.parseText(text, FILE, w -> { throw new AssertionError(w); });
    }

    private static String error(String text) {
        return assertThrows(KilnException.class, () -> parse(text)).getMessage();
    }

    @Test
    void everyV1ParameterHasTheSameMessageInV2() {
        for (FieldDescriptor f : V1LayerParameter.getDescriptor().getFields()) {
            if (f.getName().endsWith("_param")) {
                FieldDescriptor v2 = LayerParameter.getDescriptor().findFieldByName(f.getName());
                assertNotNull(v2, f.getName());
                assertEquals(f.getMessageType(), v2.getMessageType(), f.getName());
            }
        }
        for (V1LayerParameter.LayerType t : V1LayerParameter.LayerType.values()) {
            assertEquals(t == V1LayerParameter.LayerType.NONE, CaffeUpgrade.v2Type(t) == null, t.name());
        }
    }

    @Test
    void v1LayersKeepRulesParametersAndMoveDataTransforms() {
        NetParameter net = parse("""
                name: "train"
                layers {
                  name: "mnist" type: DATA top: "data" top: "label"
                  data_param { source: "db" batch_size: 64 scale: 0.00390625 }
                  include { phase: TRAIN }
                }
                layers {
                  name: "ip" type: INNER_PRODUCT bottom: "data" top: "ip"
                  blobs_lr: 1 blobs_lr: 2 weight_decay: 1 param: "shared_w"
                  inner_product_param { num_output: 10 }
                }
                layers { name: "loss" type: SOFTMAX_LOSS bottom: "ip" bottom: "label" top: "loss" loss_weight: 1 }
                layers { name: "acc" type: ACCURACY bottom: "ip" bottom: "label" top: "acc" exclude { phase: TRAIN } }
                """);
        assertEquals(List.of("Data", "InnerProduct", "SoftmaxWithLoss", "Accuracy"),
                net.getLayerList().stream().map(LayerParameter::getType).toList());
        LayerParameter data = net.getLayer(0);
        assertEquals(Phase.TRAIN, data.getInclude(0).getPhase());
        assertEquals(List.of("data", "label"), data.getTopList());
        assertEquals(0.00390625f, data.getTransformParam().getScale());
        assertFalse(data.getDataParam().hasScale());
        assertEquals(64, data.getDataParam().getBatchSize());
        LayerParameter ip = net.getLayer(1);
        assertEquals(10, ip.getInnerProductParam().getNumOutput());
        assertEquals("shared_w", ip.getParam(0).getName());
        assertFalse(ip.getParam(0).hasLrMult());
        assertEquals(List.of(1f), net.getLayer(2).getLossWeightList());
        assertEquals(Phase.TRAIN, net.getLayer(3).getExclude(0).getPhase());
        assertEquals(0, net.getLayersCount());
    }

    @Test
    void legacyInputDimBecomesAnInputLayer() {
        NetParameter net = parse("input: \"data\"\ninput_dim: 1 input_dim: 3 input_dim: 8 input_dim: 9\n" + RELU);
        LayerParameter input = net.getLayer(0);
        assertEquals("input", input.getName());
        assertEquals("Input", input.getType());
        assertEquals(List.of("data"), input.getTopList());
        assertEquals(List.of(1L, 3L, 8L, 9L), input.getInputParam().getShape(0).getDimList());
        assertEquals("r", net.getLayer(1).getName());
        assertEquals(0, net.getInputCount() + net.getInputDimCount() + net.getInputShapeCount());
    }

    @Test
    void legacyInputShapesGiveOneShapePerInputAndAFreeLayerName() {
        NetParameter net = parse("""
                input: "a" input_shape { dim: 1 dim: 4 }
                input: "b" input_shape { dim: 2 dim: 3 dim: 5 }
                layer { name: "input" type: "Concat" bottom: "a" bottom: "b" top: "c" }
                """);
        LayerParameter input = net.getLayer(0);
        assertEquals("input_1", input.getName());
        assertEquals(List.of("a", "b"), input.getTopList());
        assertEquals(List.of(1L, 4L), input.getInputParam().getShape(0).getDimList());
        assertEquals(List.of(2L, 3L, 5L), input.getInputParam().getShape(1).getDimList());
    }

    @Test
    void inconsistentLegacyInputsAreErrors() {
        assertEquals(FILE + ": the network has 1 input(s) ('data') and 3 input_dim values; the legacy form needs"
                + " 4 input_dim values (N, C, H, W) per input",
                error("input: \"data\" input_dim: 1 input_dim: 3 input_dim: 8\n" + RELU));
        assertTrue(error("input: \"a\" input: \"b\" input_shape { dim: 1 }\n" + RELU)
                .contains("2 input(s) ('a', 'b') but 1 input_shape blocks"));
        assertTrue(error("input: \"a\"\n" + RELU).contains("but no input_dim or input_shape"));
        assertTrue(error("input_dim: 1 input_dim: 1 input_dim: 1 input_dim: 1\n" + RELU).contains("no 'input' names"));
        assertTrue(error("input: \"a\" input_dim: 1 input_dim: 1 input_dim: 1 input_dim: 1 input_shape { dim: 1 }\n"
                + RELU).contains("both input_dim and input_shape"));
    }

    @Test
    void mixedFormsAndUntypedV1LayersAreErrors() {
        assertTrue(error(RELU + "layers { name: \"old\" type: RELU }").startsWith(FILE + ": the network mixes V2"
                + " 'layer' blocks (1) with legacy V1 'layers' blocks (1)"));
        assertTrue(error("layers { name: \"ok\" type: RELU }\nlayers { name: \"odd\" }")
                .startsWith(FILE + ": V1 layer 2 'odd' has no type"));
    }
}
