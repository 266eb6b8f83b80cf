package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Small graphs around one pass-through node, for the tests of the EliminateNoOp passes. */
final class NoOpGraphs {
    private NoOpGraphs() {
    }

    /** Builds x -> Relu -> op(extra inputs made by the builder) -> Sigmoid. */
    interface Extra {
        List<Value> make(GraphBuilder b);
    }

    static Model chain(int opset, String opType, Extra extra, boolean opIsOutput, dev.kiln.core.ir.Attribute... attrs) {
        GraphBuilder b = new GraphBuilder(opType.toLowerCase(), opset);
        Value x = b.input("x", DType.FLOAT, 2, 3, 4);
        java.util.ArrayList<Value> in = new java.util.ArrayList<>();
        in.add(b.op("Relu", x));
        in.addAll(extra.make(b));
        Value y = b.op(opType, in, attrs);
        b.output(b.op("Sigmoid", y));
        if (opIsOutput) {
            b.output(y);
        }
        return b.build();
    }

    static void assertRemoved(Model m, Pass p) {
        PassChecks.assertPreservesOutputs(m, 3, p);
        List<String> ops = PassChecks.opTypes(m.graph());
        assertEquals(List.of("Relu", "Sigmoid"), ops);
        assertSame(m.graph().nodes().get(0).output(0), m.graph().nodes().get(1).input(0));
    }
}
