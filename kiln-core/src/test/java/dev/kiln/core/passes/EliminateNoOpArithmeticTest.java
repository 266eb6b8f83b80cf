package dev.kiln.core.passes;

import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.core.passes.NoOpGraphs.assertRemoved;
import static dev.kiln.core.passes.NoOpGraphs.chain;

class EliminateNoOpArithmeticTest {
    @Test
    void addZeroAndMulOneGo() {
        assertRemoved(chain(13, "Add", b -> List.of(b.floats("zero", 0, 0, 0, 0)), false), new EliminateNoOpArithmetic());
        GraphBuilder b = new GraphBuilder("one_times", 13);
        Value x = b.input("x", DType.FLOAT, 2, 3);
        b.output(b.op("Sigmoid", b.op("Mul", List.of(b.floats("one", 1f), b.op("Relu", x)))));
        assertRemoved(b.build(), new EliminateNoOpArithmetic());
    }

    @Test
    void subZeroAndDivOneGoWithSameNumbers() {
        assertRemoved(chain(13, "Sub", b -> List.of(b.floats("zero", 0f)), false), new EliminateNoOpArithmetic());
        assertRemoved(chain(13, "Div", b -> List.of(b.floats("one", 1f, 1f, 1f, 1f)), false), new EliminateNoOpArithmetic());
    }

    @Test
    void broadcastingOtherValuesAndReversedSubStay() {
        // adding zeros of a larger shape broadcasts x: not a no-op
        PassChecks.assertUnchanged(chain(13, "Add", b -> List.of(b.constant("z", Tensor.allocate(DType.FLOAT, 5, 2, 3, 4))),
                false), new EliminateNoOpArithmetic());
        PassChecks.assertUnchanged(chain(13, "Mul", b -> List.of(b.floats("two", 2f)), false), new EliminateNoOpArithmetic());
        GraphBuilder b = new GraphBuilder("zero_minus", 13);
        Value x = b.input("x", DType.FLOAT, 2, 3);
        b.output(b.op("Sub", List.of(b.floats("zero", 0f), x)));
        PassChecks.assertUnchanged(b.build(), new EliminateNoOpArithmetic());
    }
}
