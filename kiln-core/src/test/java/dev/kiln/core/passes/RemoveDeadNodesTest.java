package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RemoveDeadNodesTest {
    static Model withDeadBranch() {
        GraphBuilder b = new GraphBuilder("dead", 13);
        Value x = b.input("x", DType.FLOAT, 2, 3);
        Value r = b.op("Relu", x);
        b.op("Exp", b.op("Sigmoid", r));
        b.output(b.op("Tanh", r));
        return b.build();
    }

    @Test
    void branchesNoOutputNeedsGo() {
        Model m = withDeadBranch();
        PassChecks.apply(m, new RemoveDeadNodes());
        assertEquals(List.of("Relu", "Tanh"), PassChecks.opTypes(m.graph()));
    }

    @Test
    void sameNumbersWithoutTheDeadBranch() {
        PassChecks.assertPreservesOutputs(withDeadBranch(), 1, new RemoveDeadNodes());
    }

    @Test
    void leavesGraphsWhereEveryNodeFeedsAnOutput() {
        GraphBuilder b = new GraphBuilder("live", 13);
        Value x = b.input("x", DType.FLOAT, 2, 3);
        Value r = b.op("Relu", x);
        b.output(b.op("Tanh", r), b.op("Sigmoid", r));
        PassChecks.assertUnchanged(b.build(), new RemoveDeadNodes());
    }
}
