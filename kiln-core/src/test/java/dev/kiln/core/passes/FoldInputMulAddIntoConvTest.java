package dev.kiln.core.passes;

import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.core.testing.GraphBuilder.i;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class FoldInputMulAddIntoConvTest {
    /** x -> op1(k1) -> op2(k2) ... -> Conv(4 groups of 2 channels... as given) -> output. */
    static Model opsThenConv(String[] ops, int[][] shapes, int group, Attribute... convAttrs) {
        GraphBuilder b = new GraphBuilder("then_conv", 13);
        Value x = b.input("x", DType.FLOAT, 1, 4, 7, 7);
        Value y = b.op("Relu", x);
        for (int k = 0; k < ops.length; k++) {
            y = b.op(ops[k], List.of(y, b.constant("k" + k, TestTensors.uniform(30 + k, 0.5f, 1.5f, shapes[k]))));
        }
        Value w = b.weights("w", 0.5f, 6, 4 / group, 3, 3);
        Attribute[] attrs = new Attribute[convAttrs.length + 1];
        System.arraycopy(convAttrs, 0, attrs, 0, convAttrs.length);
        attrs[convAttrs.length] = i("group", group);
        b.output(b.op("Conv", List.of(y, w, b.weights("b", 0.1f, 6)), attrs));
        return b.build();
    }

    @Test
    void normalizationBeforeAnUnpaddedConvEndsInTheConv() {
        Model m = opsThenConv(new String[] {"Sub", "Mul"}, new int[][] {{1, 4, 1, 1}, {4, 1, 1}}, 1);
        PassChecks.apply(m, new FoldInputMulAddIntoConv());
        assertEquals(List.of("Relu", "Conv"), PassChecks.opTypes(m.graph()));
        Node conv = m.graph().nodes().get(1);
        assertSame(m.graph().nodes().get(0).output(0), conv.input(0));
    }

    @Test
    void sameNumbersForMulAddSubDivAndGroups() {
        PassChecks.assertPreservesOutputs(opsThenConv(new String[] {"Mul", "Add", "Sub", "Div"},
                new int[][] {{1, 4, 1, 1}, {4, 1, 1}, {1}, {4, 1, 1}}, 1), 1, new FoldInputMulAddIntoConv());
        PassChecks.assertPreservesOutputs(opsThenConv(new String[] {"Mul", "Add"}, new int[][] {{4, 1, 1}, {4, 1, 1}}, 2,
                ints("strides", 2, 2)), 2, new FoldInputMulAddIntoConv());
        // a padded conv still takes a Mul: zero padding stays zero
        Model padded = opsThenConv(new String[] {"Mul"}, new int[][] {{4, 1, 1}}, 2, ints("pads", 1, 1, 1, 1));
        PassChecks.assertPreservesOutputs(padded, 3, new FoldInputMulAddIntoConv());
        assertEquals(List.of("Relu", "Conv"), PassChecks.opTypes(padded.graph()));
    }

    @Test
    void leavesAddsBeforePaddedConvsAndBroadcastingConstants() {
        // the padded border would see 0 instead of k
        PassChecks.assertUnchanged(opsThenConv(new String[] {"Add"}, new int[][] {{4, 1, 1}}, 1, ints("pads", 1, 1, 1, 1)),
                new FoldInputMulAddIntoConv());
        PassChecks.assertUnchanged(opsThenConv(new String[] {"Add"}, new int[][] {{4, 1, 1}}, 1,
                GraphBuilder.s("auto_pad", "SAME_UPPER")), new FoldInputMulAddIntoConv());
        // varies along the height
        PassChecks.assertUnchanged(opsThenConv(new String[] {"Mul"}, new int[][] {{1, 7, 1}}, 1), new FoldInputMulAddIntoConv());
        // a Mul whose result is also read elsewhere
        GraphBuilder b = new GraphBuilder("shared", 13);
        Value x = b.input("x", DType.FLOAT, 1, 4, 5, 5);
        Value m = b.op("Mul", List.of(x, b.weights("k", 1f, 4, 1, 1)));
        b.output(b.op("Conv", List.of(m, b.weights("w", 0.5f, 2, 4, 1, 1))), m);
        PassChecks.assertUnchanged(b.build(), new FoldInputMulAddIntoConv());
    }
}
