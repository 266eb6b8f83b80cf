package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.core.passes.NoOpGraphs.assertRemoved;
import static dev.kiln.core.passes.NoOpGraphs.chain;
import static dev.kiln.core.testing.GraphBuilder.f;

class EliminateDropoutTest {
    @Test
    void inferenceDropoutGoes() {
        assertRemoved(chain(11, "Dropout", b -> List.of(), false, f("ratio", 0.3f)), new EliminateDropout());
    }

    @Test
    void opset12TrainingModeFalseGoesWithSameNumbers() {
        Model m = chain(13, "Dropout", b -> List.of(b.floats("ratio", 0.5f),
                b.constant("training", Tensor.ofBools(new boolean[] {false}))), false);
        assertRemoved(m, new EliminateDropout());
    }

    @Test
    void staysWhenTheMaskIsReadOrTrainingModeIsUnknown() {
        GraphBuilder b = new GraphBuilder("mask", 13);
        Value x = b.input("x", DType.FLOAT, 2, 3);
        Value t = b.input("training", DType.BOOL);
        var d = b.node("Dropout", List.of(x), 2);
        var d2 = b.node("Dropout", List.of(x, b.floats("r", 0.5f), t), 1);
        b.output(b.op("Relu", d.output(0)), d.output(1), d2.output(0));
        PassChecks.assertUnchanged(b.build(), new EliminateDropout());
    }
}
