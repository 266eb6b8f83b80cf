package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.core.testing.GraphBuilder.i;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FuseConsecutiveReshapesTest {
    @Test
    void reshapeOfAReshapeReadsTheOriginal() {
        GraphBuilder b = new GraphBuilder("reshapes", 13);
        Value x = b.input("x", DType.FLOAT, 2, 3, 4);
        Value r1 = b.op("Reshape", List.of(x, b.constant("s1", Tensor.vector(6, 4))));
        b.output(b.op("Reshape", List.of(r1, b.constant("s2", Tensor.vector(-1, 12)))));
        Model m = b.build();
        PassChecks.apply(m, new FuseConsecutiveReshapes(), new RemoveDeadNodes());
        assertEquals(List.of("Reshape"), PassChecks.opTypes(m.graph()));
        assertEquals("x", m.graph().nodes().get(0).input(0).name());
    }

    @Test
    void sameNumbersAfterFlattenSqueezeAndUnsqueeze() {
        GraphBuilder b = new GraphBuilder("shape_ops", 13);
        Value x = b.input("x", DType.FLOAT, 2, 1, 3, 4);
        Value f = b.op("Flatten", b.op("Relu", x), i("axis", 2));
        Value r = b.op("Reshape", List.of(f, b.constant("s1", Tensor.vector(4, -1))));
        Value sq = b.op("Squeeze", List.of(b.op("Relu", x), b.constant("axes", Tensor.vector(1))));
        Value r2 = b.op("Reshape", List.of(b.op("Unsqueeze", List.of(sq, b.constant("ax", Tensor.vector(0)))),
                b.constant("s2", Tensor.vector(3, 8))));
        b.output(r, r2);
        Model m = b.build();
        PassChecks.assertPreservesOutputs(m, 1, new FuseConsecutiveReshapes(), new RemoveDeadNodes());
        assertEquals(List.of("Relu", "Reshape", "Relu", "Reshape"), PassChecks.opTypes(m.graph()),
                "each Reshape reads past the whole chain of shape-only ops");
    }

    @Test
    void leavesZeroEntriesThatCopyADim() {
        GraphBuilder b = new GraphBuilder("zero", 13);
        Value x = b.input("x", DType.FLOAT, 2, 3, 4);
        Value r1 = b.op("Reshape", List.of(x, b.constant("s1", Tensor.vector(6, 4))));
        b.output(b.op("Reshape", List.of(r1, b.constant("s2", Tensor.vector(0, 2, 2)))));
        b.output(b.op("Reshape", List.of(b.op("Transpose", x, ints("perm", 2, 1, 0)), b.constant("s3", Tensor.vector(24)))));
        PassChecks.assertUnchanged(b.build(), new FuseConsecutiveReshapes());
    }
}
