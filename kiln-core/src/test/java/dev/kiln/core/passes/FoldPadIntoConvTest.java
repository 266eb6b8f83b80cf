package dev.kiln.core.passes;

import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.core.testing.GraphBuilder.f;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static dev.kiln.core.testing.GraphBuilder.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FoldPadIntoConvTest {
    static Model padConv(int opset, long[] pads, Float value, Attribute[] padAttrs, Attribute... convAttrs) {
        GraphBuilder b = new GraphBuilder("pad_conv", opset);
        Value x = b.input("x", DType.FLOAT, 1, 3, 6, 7);
        List<Value> in = new ArrayList<>();
        in.add(x);
        List<Attribute> attrs = new ArrayList<>(List.of(padAttrs));
        if (opset >= 11) {
            in.add(b.constant("pads", Tensor.vector(pads)));
            if (value != null) {
                in.add(b.floats("value", value));
            }
        } else {
            attrs.add(Attribute.of("pads", pads));
        }
        Value p = b.op("Pad", in, attrs.toArray(new Attribute[0]));
        b.output(b.op("Conv", List.of(p, b.weights("w", 0.5f, 4, 3, 3, 3)), convAttrs));
        return b.build();
    }

    @Test
    void padMovesIntoTheConvPads() {
        Model m = padConv(13, new long[] {0, 0, 1, 2, 0, 0, 3, 0}, null, new Attribute[0], ints("pads", 1, 1, 1, 1));
        PassChecks.apply(m, new FoldPadIntoConv());
        assertEquals(List.of("Conv"), PassChecks.opTypes(m.graph()));
        assertArrayEquals(new long[] {2, 3, 4, 1}, m.graph().nodes().get(0).attrs().getInts("pads", null));
        assertEquals("x", m.graph().nodes().get(0).input(0).name());
    }

    @Test
    void sameNumbersAtOpset9And13() {
        PassChecks.assertPreservesOutputs(padConv(9, new long[] {0, 0, 2, 1, 0, 0, 1, 2}, null,
                new Attribute[] {f("value", 0f)}, ints("strides", 2, 2)), 1, new FoldPadIntoConv());
        PassChecks.assertPreservesOutputs(padConv(13, new long[] {0, 0, 1, 1, 0, 0, 1, 1}, 0f, new Attribute[0]), 2,
                new FoldPadIntoConv());
    }

    @Test
    void leavesReflectPadsNonZeroValuesChannelPadsAndAutoPad() {
        long[] spatial = {0, 0, 1, 1, 0, 0, 1, 1};
        PassChecks.assertUnchanged(padConv(13, spatial, null, new Attribute[] {s("mode", "reflect")}), new FoldPadIntoConv());
        PassChecks.assertUnchanged(padConv(9, spatial, null, new Attribute[] {f("value", 1f)}), new FoldPadIntoConv());
        PassChecks.assertUnchanged(padConv(13, spatial, -1f, new Attribute[0]), new FoldPadIntoConv());
        PassChecks.assertUnchanged(padConv(13, new long[] {0, 1, 1, 1, 0, 0, 1, 1}, null, new Attribute[0]),
                new FoldPadIntoConv());
        PassChecks.assertUnchanged(padConv(13, spatial, null, new Attribute[0], s("auto_pad", "SAME_UPPER")),
                new FoldPadIntoConv());
    }
}
