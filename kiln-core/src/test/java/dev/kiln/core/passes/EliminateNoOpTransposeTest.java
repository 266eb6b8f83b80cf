package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.core.passes.NoOpGraphs.assertRemoved;
import static dev.kiln.core.passes.NoOpGraphs.chain;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EliminateNoOpTransposeTest {
    @Test
    void identityPermutationGoes() {
        assertRemoved(chain(13, "Transpose", b -> List.of(), false, ints("perm", 0, 1, 2)), new EliminateNoOpTranspose());
    }

    @Test
    void sameNumbersWhenTheOutputIsAGraphOutput() {
        Model m = chain(13, "Transpose", b -> List.of(), true, ints("perm", 0, 1, 2));
        List<String> outputs = PassChecks.outputNames(m);
        PassChecks.assertPreservesOutputs(m, 6, new EliminateNoOpTranspose());
        assertEquals(outputs, PassChecks.outputNames(m));
    }

    @Test
    void realPermutationsAndTheDefaultReversalStay() {
        PassChecks.assertUnchanged(chain(13, "Transpose", b -> List.of(), false, ints("perm", 0, 2, 1)),
                new EliminateNoOpTranspose());
        PassChecks.assertUnchanged(chain(13, "Transpose", b -> List.of(), false), new EliminateNoOpTranspose());
    }
}
