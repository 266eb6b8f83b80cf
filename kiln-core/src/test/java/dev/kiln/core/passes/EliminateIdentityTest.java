package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.core.passes.NoOpGraphs.assertRemoved;
import static dev.kiln.core.passes.NoOpGraphs.chain;
import static dev.kiln.core.testing.GraphBuilder.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EliminateIdentityTest {
    @Test
    void readersReadTheInput() {
        assertRemoved(chain(13, "Identity", b -> List.of(), false), new EliminateIdentity());
    }

    @Test
    void graphOutputKeepsItsNameAndNumbers() {
        Model m = chain(13, "Identity", b -> List.of(), true);
        List<String> outputs = PassChecks.outputNames(m);
        PassChecks.assertPreservesOutputs(m, 4, new EliminateIdentity());
        assertEquals(outputs, PassChecks.outputNames(m));
        assertEquals(List.of("Relu", "Sigmoid"), PassChecks.opTypes(m.graph()));
        assertEquals(outputs.get(1), m.graph().nodes().get(0).output(0).name(), "the Relu output took the Identity's name");
    }

    @Test
    void staysBetweenAGraphInputAndAGraphOutput() {
        GraphBuilder b = new GraphBuilder("io", 13);
        Value x = b.input("x", DType.FLOAT, 2);
        Value w = b.floats("w", 1, 2);
        b.output(b.op("Identity", x), b.op("Identity", w));
        PassChecks.assertUnchanged(b.build(), new EliminateIdentity());
    }
}
