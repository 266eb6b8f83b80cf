package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.core.testing.GraphBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FuseConsecutiveTransposesTest {
    @Test
    void twoTransposesBecomeOne() {
        GraphBuilder b = new GraphBuilder("nchw_nhwc", 13);
        Value x = b.input("x", DType.FLOAT, 1, 2, 3, 4);
        Value t = b.op("Transpose", x, ints("perm", 0, 2, 3, 1));
        b.output(b.op("Transpose", t, ints("perm", 0, 3, 1, 2)));
        Model m = b.build();
        PassChecks.apply(m, new FuseConsecutiveTransposes(), new RemoveDeadNodes());
        assertEquals(List.of("Transpose"), PassChecks.opTypes(m.graph()));
        assertArrayEquals(new long[] {0, 1, 2, 3}, m.graph().nodes().get(0).attrs().getInts("perm", null));
        PassChecks.apply(m, new EliminateNoOpTranspose());
        assertEquals(List.of("Transpose"), PassChecks.opTypes(m.graph()), "x is a graph input: the output keeps a node");
    }

    @Test
    void sameNumbersForChainsAndDefaultPermutations() {
        GraphBuilder b = new GraphBuilder("chain", 13);
        Value x = b.input("x", DType.FLOAT, 2, 3, 4, 5);
        Value t1 = b.op("Transpose", b.op("Relu", x), ints("perm", 1, 0, 3, 2));
        Value t2 = b.op("Transpose", t1);
        Value t3 = b.op("Transpose", t2, ints("perm", -1, 0, 2, 1));
        b.output(b.op("Sigmoid", t3), t1);
        Model m = b.build();
        PassChecks.assertPreservesOutputs(m, 1, new FuseConsecutiveTransposes(), new RemoveDeadNodes());
        assertEquals(List.of("Relu", "Transpose", "Transpose", "Sigmoid"), PassChecks.opTypes(m.graph()),
                "the first transpose stays for its other reader; the next two merge");
    }

    @Test
    void leavesSingleTransposesAndUnknownRanks() {
        GraphBuilder b = new GraphBuilder("single", 13);
        Value x = b.input("x", DType.FLOAT, 2, 3);
        Value r = b.graph().addInput("r", TensorType.unranked(DType.FLOAT));
        b.output(b.op("Transpose", b.op("Relu", x)), b.op("Transpose", b.op("Transpose", r)));
        PassChecks.assertUnchanged(b.build(), new FuseConsecutiveTransposes());
    }
}
