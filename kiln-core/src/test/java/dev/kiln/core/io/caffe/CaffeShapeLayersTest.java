package dev.kiln.core.io.caffe;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Model;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kiln.core.io.caffe.CaffeRef.assertClose;
import static dev.kiln.core.io.caffe.CaffeRef.input;
import static dev.kiln.core.io.caffe.CaffeRef.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Concat, Split, Slice, Flatten, Reshape, Dropout, Crop and ShuffleChannel: data movement checked element by element. */
class CaffeShapeLayersTest {
    /** Element (n, c, h, w) of an N x C x H x W tensor. */
    private static float at(Tensor t, int n, int c, int h, int w) {
        return t.floats()[((n * t.dim(1) + c) * t.dim(2) + h) * t.dim(3) + w];
    }

    private static Map<String, Tensor> run(String layers, Tensor x, int... shape) {
        return CaffeNets.of(input("data", shape) + layers).run("data", x);
    }

    @Test
    void concatAlongANegativeAxisAndTheLegacyConcatDim() {
        Tensor a = random(1, 2, 3, 4, 5);
        Tensor b = random(2, 2, 3, 4, 2);
        for (String param : new String[] {"concat_param { axis: -1 }", "concat_param { concat_dim: 3 }"}) {
            CaffeNets net = CaffeNets.of(input("a", 2, 3, 4, 5) + input("b", 2, 3, 4, 2)
                    + "layer { name: \"cat\" type: \"Concat\" bottom: \"a\" bottom: \"b\" top: \"y\" " + param + " }");
            Tensor y = net.run(Map.of("a", a, "b", b)).get("y");
            assertArrayEquals(new int[] {2, 3, 4, 7}, y.shape());
            assertEquals(at(a, 1, 2, 3, 4), at(y, 1, 2, 3, 4));
            assertEquals(at(b, 1, 2, 3, 1), at(y, 1, 2, 3, 6));
        }
        CaffeNets bad = CaffeNets.of(input("a", 2, 3, 4, 5) + input("b", 2, 3, 3, 2)
                + "layer { name: \"cat\" type: \"Concat\" bottom: \"a\" bottom: \"b\" top: \"y\" concat_param { axis: 3 } }");
        KilnException e = assertThrows(KilnException.class, bad::convert);
        assertTrue(e.getMessage().contains("layer 'cat' (Concat)") && e.getMessage().contains("only along axis 3"), e.getMessage());
    }

    @Test
    void splitAndDropoutAddNoNodes() {
        Tensor x = random(3, 1, 2, 3, 3);
        CaffeNets net = CaffeNets.of(input("data", 1, 2, 3, 3) + """
                layer { name: "split" type: "Split" bottom: "data" top: "s1" top: "s2" }
                layer { name: "drop" type: "Dropout" bottom: "s1" top: "d" dropout_param { dropout_ratio: 0.3 } }
                layer { name: "add" type: "Eltwise" bottom: "d" bottom: "s2" top: "y" }
                """);
        Model m = net.convert();
        assertEquals(1, m.graph().nodes().size());
        float[] y = net.run("data", x).get("y").floats();
        for (int i = 0; i < y.length; i++) {
            assertEquals(2 * x.floats()[i], y[i], 1e-6);
        }
        // without scale_train, Caffe scales by 1 - ratio at test time
        Tensor kept = run("layer { name: \"drop\" type: \"Dropout\" bottom: \"data\" top: \"y\" "
                + "dropout_param { dropout_ratio: 0.3 scale_train: false } }", x, 1, 2, 3, 3).get("y");
        assertEquals(0.7f * x.floats()[5], kept.floats()[5], 1e-6);
    }

    @Test
    void sliceAtPointsAndIntoEqualParts() {
        Tensor x = random(4, 2, 6, 3, 2);
        Map<String, Tensor> y = run("layer { name: \"sl\" type: \"Slice\" bottom: \"data\" top: \"p\" top: \"q\" top: \"r\" "
                + "slice_param { slice_point: 1 slice_point: 4 } }", x, 2, 6, 3, 2);
        assertArrayEquals(new int[] {2, 1, 3, 2}, y.get("p").shape());
        assertArrayEquals(new int[] {2, 3, 3, 2}, y.get("q").shape());
        assertArrayEquals(new int[] {2, 2, 3, 2}, y.get("r").shape());
        assertEquals(at(x, 1, 3, 2, 1), at(y.get("q"), 1, 2, 2, 1));
        assertEquals(at(x, 1, 5, 0, 1), at(y.get("r"), 1, 1, 0, 1));
        Map<String, Tensor> eq = run("layer { name: \"sl\" type: \"Slice\" bottom: \"data\" top: \"p\" top: \"q\" "
                + "slice_param { slice_dim: 2 } }", random(5, 2, 2, 4, 3), 2, 2, 4, 3);
        assertArrayEquals(new int[] {2, 2, 2, 3}, eq.get("q").shape());
        assertThrows(KilnException.class, () -> CaffeNets.of(input("data", 2, 6, 3, 2)
                + "layer { name: \"sl\" type: \"Slice\" bottom: \"data\" top: \"p\" top: \"q\" slice_param { slice_point: 7 } }")
                .convert());
    }

    @Test
    void flattenAndReshapeKeepTheDataOrder() {
        Tensor x = random(6, 2, 3, 4, 5);
        Tensor f = run("layer { name: \"f\" type: \"Flatten\" bottom: \"data\" top: \"y\" flatten_param { axis: 1 end_axis: 2 } }",
                x, 2, 3, 4, 5).get("y");
        assertArrayEquals(new int[] {2, 12, 5}, f.shape());
        assertArrayEquals(x.floats(), f.floats());
        Tensor r = run("layer { name: \"r\" type: \"Reshape\" bottom: \"data\" top: \"y\" "
                + "reshape_param { shape { dim: 0 dim: -1 dim: 2 } } }", x, 2, 3, 4, 5).get("y");
        assertArrayEquals(new int[] {2, 30, 2}, r.shape());
        assertArrayEquals(x.floats(), r.floats());
        // axis and num_axes: replace axes [1, 3) by [-1, 2, 3] → 2 x 2 x 2 x 3 x 5
        Tensor part = run("layer { name: \"r\" type: \"Reshape\" bottom: \"data\" top: \"y\" "
                + "reshape_param { axis: 1 num_axes: 2 shape { dim: -1 dim: 2 dim: 3 } } }", x, 2, 3, 4, 5).get("y");
        assertArrayEquals(new int[] {2, 2, 2, 3, 5}, part.shape());
        // axis -1 appends after the last axis
        Tensor end = run("layer { name: \"r\" type: \"Reshape\" bottom: \"data\" top: \"y\" "
                + "reshape_param { axis: -1 num_axes: 0 shape { dim: 1 } } }", x, 2, 3, 4, 5).get("y");
        assertArrayEquals(new int[] {2, 3, 4, 5, 1}, end.shape());
        assertThrows(KilnException.class, () -> CaffeNets.of(input("data", 2, 3, 4, 5)
                + "layer { name: \"r\" type: \"Reshape\" bottom: \"data\" top: \"y\" reshape_param { shape { dim: 7 dim: -1 } } }")
                .convert());
    }

    @Test
    void cropToTheSecondBottomWithOneOffsetOrOneEach() {
        Tensor x = random(7, 2, 3, 7, 8);
        Tensor ref = random(8, 2, 3, 4, 5);
        for (String offsets : new String[] {"offset: 2", "offset: 2 offset: 3"}) {
            CaffeNets net = CaffeNets.of(input("data", 2, 3, 7, 8) + input("ref", 2, 3, 4, 5)
                    + "layer { name: \"crop\" type: \"Crop\" bottom: \"data\" bottom: \"ref\" top: \"y\" crop_param { " + offsets + " } }");
            Tensor y = net.run(Map.of("data", x, "ref", ref)).get("y");
            int ox = offsets.contains("3") ? 3 : 2;
            double[] expected = new double[y.size()];
            for (int n = 0; n < 2; n++) {
                for (int c = 0; c < 3; c++) {
                    for (int h = 0; h < 4; h++) {
                        for (int w = 0; w < 5; w++) {
                            expected[((n * 3 + c) * 4 + h) * 5 + w] = at(x, n, c, h + 2, w + ox);
                        }
                    }
                }
            }
            assertClose(expected, new int[] {2, 3, 4, 5}, y);
        }
    }

    @Test
    void shuffleChannelInterleavesTheGroups() {
        Tensor x = random(9, 2, 6, 3, 2);
        Tensor y = run("layer { name: \"sh\" type: \"ShuffleChannel\" bottom: \"data\" top: \"y\" "
                + "shuffle_channel_param { group: 3 } }", x, 2, 6, 3, 2).get("y");
        // out channel j·g + i = in channel i·(C/g) + j
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(at(x, 1, i * 2 + j, 2, 1), at(y, 1, j * 3 + i, 2, 1));
            }
        }
    }
}
