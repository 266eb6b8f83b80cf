package dev.kiln.core.passes;

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

class FoldMulAddIntoConvTest {
    /** Conv (6 output channels) followed by the given ops, each by a constant of the given shape. */
    static Model convThen(String[] ops, int[][] shapes, boolean constantFirst) {
        GraphBuilder b = new GraphBuilder("conv_then", 13);
        Value x = b.input("x", DType.FLOAT, 1, 3, 7, 7);
        Value y = b.op("Conv", List.of(x, b.weights("w", 0.5f, 6, 3, 3, 3), b.weights("b", 0.1f, 6)), ints("pads", 1, 1, 1, 1));
        for (int k = 0; k < ops.length; k++) {
            Value c = b.constant("k" + k, TestTensors.uniform(20 + k, 0.5f, 1.5f, shapes[k]));
            y = b.op(ops[k], constantFirst ? List.of(c, y) : List.of(y, c));
        }
        b.output(b.op("Relu", y));
        return b.build();
    }

    @Test
    void caffeScaleAfterBatchNormEndsInTheConv() {
        Model m = convThen(new String[] {"Mul", "Add"}, new int[][] {{1, 6, 1, 1}, {6, 1, 1}}, false);
        Value addOut = m.graph().findNode("add").output(0);
        String name = addOut.name();
        PassChecks.apply(m, new FoldMulAddIntoConv(), new RemoveUnusedInitializers());
        assertEquals(List.of("Conv", "Relu"), PassChecks.opTypes(m.graph()));
        Node conv = m.graph().nodes().get(0);
        assertEquals(name, conv.output(0).name());
        assertEquals(List.of("w", "b"), m.graph().initializers().stream().map(Value::name).toList());
    }

    @Test
    void sameNumbersForEveryOperatorAndSide() {
        PassChecks.assertPreservesOutputs(convThen(new String[] {"Mul", "Add", "Sub", "Div"},
                new int[][] {{1, 6, 1, 1}, {6, 1, 1}, {1}, {6, 1, 1}}, false), 1, new FoldMulAddIntoConv());
        Model reversed = convThen(new String[] {"Mul", "Add", "Sub"}, new int[][] {{6, 1, 1}, {1, 6, 1, 1}, {6, 1, 1}}, true);
        PassChecks.assertPreservesOutputs(reversed, 2, new FoldMulAddIntoConv());
        assertEquals(List.of("Conv", "Relu"), PassChecks.opTypes(reversed.graph()));

        GraphBuilder g = new GraphBuilder("gemm_scale", 13);
        Value a = g.input("a", DType.FLOAT, 3, 5);
        Value z = g.op("Gemm", List.of(a, g.weights("w", 0.5f, 5, 4)), GraphBuilder.f("alpha", 2f));
        g.output(g.op("Add", List.of(g.op("Mul", List.of(z, g.weights("s", 1f, 4))), g.weights("c", 1f, 1, 4))));
        Model gm = g.build();
        PassChecks.assertPreservesOutputs(gm, 3, new FoldMulAddIntoConv());
        assertEquals(List.of("Gemm"), PassChecks.opTypes(gm.graph()));

        GraphBuilder t = new GraphBuilder("convtranspose_scale", 13);
        Value x = t.input("x", DType.FLOAT, 1, 4, 5, 5);
        Value y = t.op("ConvTranspose", List.of(x, t.weights("w", 0.5f, 4, 3, 3, 3)), i("group", 2));
        t.output(t.op("Mul", List.of(y, t.constant("k", TestTensors.uniform(4, -2f, 2f, 6, 1, 1)))));
        PassChecks.assertPreservesOutputs(t.build(), 4, new FoldMulAddIntoConv());
    }

    @Test
    void leavesConstantsThatAreNotPerChannelOrOutputsWithOtherReaders() {
        // varies along the width, not the channels
        PassChecks.assertUnchanged(convThen(new String[] {"Mul"}, new int[][] {{1, 1, 1, 7}}, false), new FoldMulAddIntoConv());
        // would broadcast the output to a larger rank
        PassChecks.assertUnchanged(convThen(new String[] {"Add"}, new int[][] {{2, 1, 6, 1, 1}}, false), new FoldMulAddIntoConv());
        // constant divided by the conv output is not affine
        PassChecks.assertUnchanged(convThen(new String[] {"Div"}, new int[][] {{6, 1, 1}}, true), new FoldMulAddIntoConv());
        GraphBuilder b = new GraphBuilder("two_readers", 13);
        Value x = b.input("x", DType.FLOAT, 1, 3, 7, 7);
        Value y = b.op("Conv", List.of(x, b.weights("w", 0.5f, 6, 3, 3, 3)));
        b.output(b.op("Mul", List.of(y, b.weights("k", 1f, 6, 1, 1))), b.op("Relu", y));
        PassChecks.assertUnchanged(b.build(), new FoldMulAddIntoConv());
    }
}
