package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class FuseMatMulAddIntoGemmTest {
    static Model matMulAdd(int[] aShape, int[] bShape, int[] cShape, boolean biasFirst) {
        GraphBuilder b = new GraphBuilder("matmul_add", 13);
        Value a = b.input("a", DType.FLOAT, aShape);
        Value y = b.op("MatMul", List.of(b.op("Relu", a), b.weights("w", 0.5f, bShape)));
        Value c = b.weights("c", 1f, cShape);
        b.output(b.op("Add", biasFirst ? List.of(c, y) : List.of(y, c)));
        return b.build();
    }

    @Test
    void becomesOneGemmUnderTheAddsNames() {
        Model m = matMulAdd(new int[] {3, 5}, new int[] {5, 4}, new int[] {4}, false);
        Node mm = m.graph().findNode("matmul");
        String out = PassChecks.outputNames(m).get(0);
        PassChecks.apply(m, new FuseMatMulAddIntoGemm());
        assertEquals(List.of("Relu", "Gemm"), PassChecks.opTypes(m.graph()));
        Node gemm = m.graph().nodes().get(1);
        assertEquals(mm.name(), gemm.name());
        assertEquals(List.of(out), PassChecks.outputNames(m));
        assertSame(gemm.output(0), m.graph().outputs().get(0));
        assertEquals(List.of("relu_out", "w", "c"), gemm.inputs().stream().map(Value::name).toList());
    }

    @Test
    void sameNumbersForBiasShapes() {
        PassChecks.assertPreservesOutputs(matMulAdd(new int[] {3, 5}, new int[] {5, 4}, new int[] {4}, false), 1,
                new FuseMatMulAddIntoGemm());
        PassChecks.assertPreservesOutputs(matMulAdd(new int[] {3, 5}, new int[] {5, 4}, new int[] {1, 4}, true), 2,
                new FuseMatMulAddIntoGemm());
        PassChecks.assertPreservesOutputs(matMulAdd(new int[] {3, 5}, new int[] {5, 4}, new int[] {3, 4}, false), 3,
                new FuseMatMulAddIntoGemm());
        PassChecks.assertPreservesOutputs(matMulAdd(new int[] {3, 5}, new int[] {5, 4}, new int[] {3, 1}, true), 4,
                new FuseMatMulAddIntoGemm());
    }

    @Test
    void leavesHigherRanksGrowingBiasesAndVariableWeights() {
        // Gemm takes matrices only
        PassChecks.assertUnchanged(matMulAdd(new int[] {2, 3, 5}, new int[] {5, 4}, new int[] {4}, false), new FuseMatMulAddIntoGemm());
        // the bias would broadcast the product to a larger shape
        PassChecks.assertUnchanged(matMulAdd(new int[] {3, 5}, new int[] {5, 4}, new int[] {2, 3, 4}, false), new FuseMatMulAddIntoGemm());
        GraphBuilder b = new GraphBuilder("variable", 13);
        Value a = b.input("a", DType.FLOAT, 3, 5);
        Value w = b.input("w", DType.FLOAT, 5, 4);
        Value y = b.op("MatMul", List.of(a, w));
        b.output(b.op("Add", List.of(y, b.weights("c", 1f, 4))));
        Value y2 = b.op("MatMul", List.of(a, b.weights("w2", 1f, 5, 4)));
        b.output(b.op("Add", List.of(y2, b.weights("c2", 1f, 4))), y2);
        PassChecks.assertUnchanged(b.build(), new FuseMatMulAddIntoGemm());
    }
}
