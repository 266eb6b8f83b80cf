package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RemoveUnusedInitializersTest {
    static Model withUnused() {
        GraphBuilder b = new GraphBuilder("unused", 13);
        Value x = b.input("x", DType.FLOAT, 2, 3);
        b.weights("orphan", 1f, 3, 3);
        b.output(b.op("Add", List.of(x, b.weights("used", 1f, 3))));
        return b.build();
    }

    @Test
    void unreadInitializersGo() {
        Model m = withUnused();
        PassChecks.apply(m, new RemoveUnusedInitializers());
        assertEquals(List.of("used"), m.graph().initializers().stream().map(Value::name).toList());
    }

    @Test
    void sameNumbersWithoutThem() {
        PassChecks.assertPreservesOutputs(withUnused(), 1, new RemoveUnusedInitializers());
    }

    @Test
    void keepsInitializersThatAreGraphOutputs() {
        GraphBuilder b = new GraphBuilder("output", 13);
        Value x = b.input("x", DType.FLOAT, 2, 3);
        b.output(b.op("Relu", x), b.weights("table", 1f, 4));
        PassChecks.assertUnchanged(b.build(), new RemoveUnusedInitializers());
    }
}
