package dev.kiln.core.io.caffe;

import dev.kiln.core.KilnException;
import dev.kiln.core.io.caffe.proto.CaffeNet.LayerParameter;
import dev.kiln.core.io.caffe.proto.CaffeNet.NetParameter;
import dev.kiln.core.io.caffe.proto.CaffeNet.PoolingParameter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prototxt text through {@link CaffeReader#parseText}: syntax, positions, unknown fields and values. */
class CaffePrototxtTest {
    private static final String FILE = "deploy.prototxt";

    private static String error(String text) {
        return assertThrows(KilnException.class, () -> CaffeReader.parseText(text, FILE, null)).getMessage();
    }

    @Test
    void badTokenIsReportedAtItsLineAndColumn() {
        String text = """
                name: "net"
                layer {
                  name: "conv1"
                  type: "Convolution" }
                  top: "conv1"
                }
                """;
        // the stray '}' on line 4 closes the layer, so "top" on line 5 is a field of the net and the
        // final '}' on line 6, column 1 is the bad token
        assertEquals(FILE + ":6:1: Expected identifier. Found '}'", error(text));
        assertTrue(error("layer {\n  name: \"a\"\n  type \"ReLU\"\n}\n").startsWith(FILE + ":3:8: "));
    }

    @Test
    void missingClosingBraceIsReportedAtTheEnd() {
        String text = "layer {\n  name: \"conv1\"\n  convolution_param {\n    num_output: 8\n  }\n";
        assertEquals(FILE + ":6:1: Expected \"}\".", error(text));
    }

    @Test
    void unknownFieldsWarnOncePerFieldAndKnownFieldsStay() {
        String text = """
                name: "net"
                fork_option: 3
                layer {
                  name: "conv1"
                  type: "Convolution"
                  foo_param { a: 1 nested { b: "x" } }
                  convolution_param { num_output: 8 kernel_size: 3 fancy: true }
                  top: "conv1"
                }
                layer { name: "conv2" type: "Convolution" foo_param: 5
                  bottom: "conv1" }
                layer { name: "conv3" type: "Convolution" foo_param { } }
                """;
        List<String> warnings = new ArrayList<>();
        NetParameter net = CaffeReader.parseText(text, FILE, warnings::add);
        assertEquals(List.of(
                FILE + ":2:1: unknown field 'fork_option' in NetParameter (skipped)",
                FILE + ":6:3: unknown field 'foo_param' in LayerParameter (skipped 3 times, lines 6, 10, 12;"
                        + " layers 'conv1', 'conv2', 'conv3')",
                FILE + ":7:52: unknown field 'fancy' in ConvolutionParameter (skipped; layer 'conv1')"), warnings);
        assertEquals("net", net.getName());
        LayerParameter conv1 = net.getLayer(0);
        assertEquals(8, conv1.getConvolutionParam().getNumOutput());
        assertEquals(List.of("conv1"), conv1.getTopList());
        assertEquals(List.of("conv1"), net.getLayer(1).getBottomList());
        assertEquals(3, net.getLayerCount());
    }

    @Test
    void unknownFieldOfAV1LayerNamesTheLayer() {
        List<String> warnings = new ArrayList<>();
        CaffeReader.parseText("layers {\n  name: \"r\"\n  type: RELU\n  engine_hint: 2\n}\n", FILE, warnings::add);
        assertEquals(List.of(FILE + ":4:3: unknown field 'engine_hint' in V1LayerParameter (skipped; layer 'r')"),
                warnings);
    }

    @Test
    void unknownEnumValueIsAnErrorWithItsPosition() {
        String text = "layer {\n  name: \"pool1\"\n  type: \"Pooling\"\n  pooling_param {\n    pool: DEF\n  }\n}\n";
        assertEquals(FILE + ":5:11: Enum type \"PoolingParameter.PoolMethod\" has no value named \"DEF\"."
                + " (known values: MAX, AVE, STOCHASTIC)", error(text));
        assertTrue(error("layers { name: \"p\" type: PRIORBOX }").startsWith(FILE + ":1:26: Enum type"
                + " \"V1LayerParameter.LayerType\" has no value named \"PRIORBOX\""));
    }

    @Test
    void quotesCommentsAndSeparatorsAreAccepted() {
        String text = """
                # a comment line
                name: 'single' ;
                layer {  # trailing comment
                  name: "pool1", type: 'Pooling';
                  bottom: 'data' top: "pool1"
                  pooling_param < pool: AVE; kernel_size: [2, 3] stride: 2, >
                  include { phase: TEST }
                }
                """;
        NetParameter net = CaffeReader.parseText(text, FILE, w -> { throw new AssertionError(w); });
        assertEquals("single", net.getName());
        LayerParameter pool = net.getLayer(0);
        assertEquals("Pooling", pool.getType());
        assertEquals(List.of("data"), pool.getBottomList());
        assertEquals(PoolingParameter.PoolMethod.AVE, pool.getPoolingParam().getPool());
        assertEquals(List.of(2, 3), pool.getPoolingParam().getKernelSizeList());
        assertEquals(2, pool.getPoolingParam().getStride(0));
        assertEquals(1, pool.getIncludeCount());
    }

    @Test
    void binaryTextIsRejectedAsAPossibleSwap() {
        String message = error("\n\u0005LeNet\u0012\u0003abc");
        assertTrue(message.startsWith(FILE + " holds binary data"), message);
        assertTrue(message.contains("swapped"), message);
        assertTrue(error("  \n\t").startsWith(FILE + " is empty"));
    }
}
