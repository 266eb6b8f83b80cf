package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.core.passes.NoOpGraphs.assertRemoved;
import static dev.kiln.core.passes.NoOpGraphs.chain;
import static dev.kiln.core.testing.GraphBuilder.i;
import static dev.kiln.core.testing.GraphBuilder.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EliminateNoOpReshapeTest {
    @Test
    void reshapeToTheSameShapeGoes() {
        assertRemoved(chain(13, "Reshape", b -> List.of(b.constant("s", Tensor.vector(2, -1, 4))), false),
                new EliminateNoOpReshape());
    }

    @Test
    void flattenSqueezeAndExpandThatKeepTheShapeGoWithSameNumbers() {
        GraphBuilder b = new GraphBuilder("keeps", 13);
        Value x = b.input("x", DType.FLOAT, 5, 3);
        Value y = b.op("Expand", List.of(b.op("Squeeze", List.of(b.op("Flatten", b.op("Relu", x), i("axis", 1)))),
                b.constant("shape", Tensor.vector(1, 3))));
        b.output(b.op("Sigmoid", y));
        Model m = b.build();
        PassChecks.assertPreservesOutputs(m, 5, new EliminateNoOpReshape());
        assertEquals(List.of("Relu", "Sigmoid"), PassChecks.opTypes(m.graph()));
    }

    @Test
    void realReshapesAndUnprovenShapesStay() {
        Model m = chain(13, "Reshape", b -> List.of(b.constant("s", Tensor.vector(6, 4))), false);
        PassChecks.assertUnchanged(m, new EliminateNoOpReshape());
        // the shape comes at run time; the annotation saying "same shape" is only a claim of the source model
        GraphBuilder b = new GraphBuilder("declared", 13);
        Value x = b.input("x", DType.FLOAT, 2, 3);
        Value y = b.op("Reshape", List.of(b.op("Relu", x), b.input("shape", DType.INT64, 2)));
        y.setType(TensorType.of(DType.FLOAT, 2, 3));
        b.output(b.op("Sigmoid", y));
        PassChecks.assertUnchanged(b.build(), new EliminateNoOpReshape());
    }
}
