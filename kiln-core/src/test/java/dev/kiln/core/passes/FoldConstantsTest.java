package dev.kiln.core.passes;

import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.core.testing.GraphBuilder.i;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FoldConstantsTest {
    static Value constantNode(GraphBuilder b, Tensor t) {
        return b.node("Constant", List.of(), 1, Attribute.of("value", new ConstTensor(t))).output(0);
    }

    /** x -> Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), Constant[-1])): the shape chain PyTorch exports for view(n, -1). */
    static Model shapeChain(int batch) {
        GraphBuilder b = new GraphBuilder("shape_chain", 9);
        Value x = b.input("x", DType.FLOAT, batch, 3, 4, 4);
        Value n = b.op("Gather", List.of(b.op("Shape", x), constantNode(b, Tensor.scalarLong(0))), i("axis", 0));
        Value shape = b.op("Concat", List.of(b.op("Unsqueeze", n, ints("axes", 0)), constantNode(b, Tensor.vector(-1))),
                i("axis", 0));
        b.output(b.op("Reshape", List.of(x, shape)));
        return b.build();
    }

    @Test
    void shapeChainOnAStaticShapeBecomesOneInitializer() {
        Model m = shapeChain(2);
        String shapeName = m.graph().findNode("concat").output(0).name();
        PassChecks.apply(m, new FoldConstants(), new RemoveUnusedInitializers());
        assertEquals(List.of("Reshape"), PassChecks.opTypes(m.graph()));
        Value shape = m.graph().nodes().get(0).input(1);
        assertTrue(shape.isConstant());
        assertEquals(shapeName, shape.name(), "the folded value keeps its name");
        assertArrayEquals(new long[] {2, -1}, shape.constant().tensor().longs());
        assertEquals(List.of(shape), m.graph().initializers());
    }

    @Test
    void sameNumbersWithWeightChainsComputedByTheKernels() {
        GraphBuilder b = new GraphBuilder("weights", 13);
        Value x = b.input("x", DType.FLOAT, 3, 5);
        Value w = b.op("Mul", List.of(b.op("Transpose", b.weights("w", 1f, 4, 5), ints("perm", 1, 0)),
                constantNode(b, TestTensors.uniform(9, 0.5f, 1.5f, 4))));
        Value bias = b.op("Sqrt", b.constant("v", TestTensors.uniform(3, 0.5f, 2f, 4)));
        b.output(b.op("Add", List.of(b.op("MatMul", List.of(x, w)), bias)));
        Model m = b.build();
        PassChecks.assertPreservesOutputs(m, 7, new FoldConstants());
        assertEquals(List.of("MatMul", "Add"), PassChecks.opTypes(m.graph()));
        PassChecks.assertPreservesOutputs(shapeChain(3), 8, new FoldConstants());
    }

    @Test
    void leavesQuantizationDynamicShapesHugeResultsAndGraphOutputs() {
        GraphBuilder b = new GraphBuilder("kept", 13);
        Value x = b.input("x", DType.FLOAT, -1, 3, 4, 4);
        // fake-quantized weights: their scales are calibration results, never folded away
        Tensor q = TestTensors.integers(1, DType.INT8, -127, 127, 2, 3, 1, 1);
        Value wq = b.op("DequantizeLinear", List.of(b.constant("wq", q), b.floats("s", 0.02f)));
        Value w = b.op("QuantizeLinear", List.of(b.weights("w2", 1f, 2, 3, 1, 1), b.floats("s2", 0.05f)));
        Value conv = b.op("Conv", List.of(x, wq));
        // the batch is dynamic: Shape is only known at run time
        Value reshaped = b.op("Reshape", List.of(conv, b.op("Shape", conv)));
        // a 2 million element tensor from an 8-byte input would bloat the model file
        Value big = b.op("ConstantOfShape", b.constant("size", Tensor.vector(2_000_000)));
        b.output(reshaped, w, big, constantNode(b, Tensor.scalar(1f)));
        PassChecks.assertUnchanged(b.build(), new FoldConstants());
    }

    @Test
    void constantNodesBecomeInitializersOfTheSameName() {
        GraphBuilder b = new GraphBuilder("constants", 11);
        Value x = b.input("x", DType.FLOAT, 2, 3);
        List<Value> consts = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            consts.add(constantNode(b, TestTensors.uniform(k, -1, 1, 3)));
        }
        Value y = b.op("Add", List.of(b.op("Mul", List.of(x, consts.get(0))), consts.get(1)));
        b.output(b.op("Sub", List.of(y, consts.get(2))));
        Model m = b.build();
        List<String> names = consts.stream().map(Value::name).toList();
        PassChecks.assertPreservesOutputs(m, 9, new FoldConstants());
        assertEquals(List.of("Mul", "Add", "Sub"), PassChecks.opTypes(m.graph()));
        for (Node n : m.graph().nodes()) {
            assertTrue(n.input(1).isConstant());
        }
        assertEquals(names, m.graph().initializers().stream().map(Value::name).toList());
    }
}
