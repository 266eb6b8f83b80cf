package dev.kiln.core.io;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNull;

class OrtSmokeTest {
    @Test
    void builtGraphMatchesOnnxRuntime() throws Exception {
        Graph g = new Graph("smoke");
        Value x = g.addInput("x", TensorType.of(DType.FLOAT, 2, 3));
        Value y = g.addInput("y", TensorType.of(DType.FLOAT, 3));
        var add = g.addNode("add", "Add", "", null, List.of(x, y), List.of("s"));
        var relu = g.addNode("relu", "Relu", "", null, List.of(add.output(0)), List.of("out"));
        g.addOutput(relu.output(0));
        Model m = new Model(g);
        m.opsets().put("", 13L);
        Map<String, Tensor> in = Map.of("x", TestTensors.normal(1, 2, 3), "y", TestTensors.normal(2, 3));
        Tensor kiln = new Executor(m).run(in).get("out");
        Tensor ort = OrtOracle.run(m, in).get("out");
        assertNull(Tolerance.BACKEND_SUITE.mismatch(ort, kiln));
    }
}
