package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.runtime.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.core.passes.NoOpGraphs.assertRemoved;
import static dev.kiln.core.passes.NoOpGraphs.chain;
import static dev.kiln.core.testing.GraphBuilder.i;

class EliminateCastToSameTypeTest {
    @Test
    void castToFloatOfAFloatGoes() {
        assertRemoved(chain(13, "Cast", b -> List.of(), false, i("to", DType.FLOAT.onnxCode())), new EliminateCastToSameType());
    }

    @Test
    void castLikeOfTheSameTypeGoesWithSameNumbers() {
        assertRemoved(chain(15, "CastLike", b -> List.of(b.floats("like", 0f)), false), new EliminateCastToSameType());
    }

    @Test
    void realConversionsStay() {
        Model m = chain(13, "Cast", b -> List.of(), false, i("to", DType.FLOAT16.onnxCode()));
        PassChecks.assertUnchanged(m, new EliminateCastToSameType());
    }
}
