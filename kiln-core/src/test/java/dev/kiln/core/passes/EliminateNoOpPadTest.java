package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.core.passes.NoOpGraphs.assertRemoved;
import static dev.kiln.core.passes.NoOpGraphs.chain;
import static dev.kiln.core.testing.GraphBuilder.f;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static dev.kiln.core.testing.GraphBuilder.s;

class EliminateNoOpPadTest {
    @Test
    void zeroPadsGo() {
        assertRemoved(chain(13, "Pad", b -> List.of(b.constant("p", Tensor.vector(0, 0, 0, 0, 0, 0))), false,
                s("mode", "reflect")), new EliminateNoOpPad());
    }

    @Test
    void zeroPadAttributeBeforeOpset11GoesWithSameNumbers() {
        assertRemoved(chain(9, "Pad", b -> List.of(), false, ints("pads", 0, 0, 0, 0, 0, 0), f("value", 3f)),
                new EliminateNoOpPad());
    }

    @Test
    void realPadsStay() {
        Model m = chain(13, "Pad", b -> List.of(b.constant("p", Tensor.vector(0, 0, 1, 0, 0, 0))), false);
        PassChecks.assertUnchanged(m, new EliminateNoOpPad());
    }
}
