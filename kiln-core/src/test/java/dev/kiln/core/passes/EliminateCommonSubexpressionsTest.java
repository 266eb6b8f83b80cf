package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.core.testing.GraphBuilder.i;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class EliminateCommonSubexpressionsTest {
    /** Two identical Slice -> Mul chains (attributes written in different orders) feeding one Add. */
    static Model twins() {
        GraphBuilder b = new GraphBuilder("twins", 9);
        Value x = b.input("x", DType.FLOAT, 2, 6);
        Value k = b.weights("k", 1f, 3);
        Value a = b.op("Mul", List.of(b.op("Slice", x, ints("starts", 0), ints("ends", 3), ints("axes", 1)), k));
        Value c = b.op("Mul", List.of(b.op("Slice", x, ints("axes", 1), ints("ends", 3), ints("starts", 0)), k));
        b.output(b.op("Add", List.of(a, c)));
        return b.build();
    }

    @Test
    void repeatedChainsCollapseInOneRun() {
        Model m = twins();
        PassChecks.apply(m, new EliminateCommonSubexpressions());
        assertEquals(List.of("Slice", "Mul", "Add"), PassChecks.opTypes(m.graph()));
        var add = m.graph().nodes().get(2);
        assertSame(add.input(0), add.input(1));
    }

    @Test
    void sameNumbersWithOneCopy() {
        PassChecks.assertPreservesOutputs(twins(), 1, new EliminateCommonSubexpressions());
    }

    @Test
    void leavesDifferentAttributesInputsAndGraphOutputs() {
        GraphBuilder b = new GraphBuilder("different", 13);
        Value x = b.input("x", DType.FLOAT, 2, 6);
        Value y = b.input("y", DType.FLOAT, 2, 6);
        b.output(b.op("Softmax", x, i("axis", 0)), b.op("Softmax", x, i("axis", 1)));
        b.output(b.op("Relu", y), b.op("Relu", x), b.op("Relu", x));
        PassChecks.assertUnchanged(b.build(), new EliminateCommonSubexpressions());
    }
}
