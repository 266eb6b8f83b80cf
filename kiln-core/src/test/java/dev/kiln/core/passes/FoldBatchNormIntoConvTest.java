package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.core.testing.GraphBuilder.i;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FoldBatchNormIntoConvTest {
    /** A BatchNormalization over c channels with seeded statistics (positive variance). */
    static Value batchNorm(GraphBuilder b, Value x, int c, long seed) {
        return b.op("BatchNormalization", List.of(x,
                b.constant("scale", TestTensors.uniform(seed, 0.5f, 2f, c)),
                b.constant("shift", TestTensors.uniform(seed + 1, -1f, 1f, c)),
                b.constant("mean", TestTensors.uniform(seed + 2, -1f, 1f, c)),
                b.constant("var", TestTensors.uniform(seed + 3, 0.1f, 3f, c))), GraphBuilder.f("epsilon", 1e-3f));
    }

    static Model convBnRelu(boolean bias) {
        GraphBuilder b = new GraphBuilder("conv_bn", 13);
        Value x = b.input("x", DType.FLOAT, 1, 3, 9, 9);
        Value w = b.weights("w", 0.5f, 6, 3, 3, 3);
        Value y = b.op("Conv", bias ? List.of(x, w, b.weights("b", 0.1f, 6)) : List.of(x, w), ints("pads", 1, 1, 1, 1));
        b.output(b.op("Relu", batchNorm(b, y, 6, 7)));
        return b.build();
    }

    @Test
    void convTakesOverTheBatchNormOutput() {
        Model m = convBnRelu(false);
        Value bnOut = m.graph().findNode("batchnormalization").output(0);
        PassChecks.apply(m, new FoldBatchNormIntoConv(), new RemoveUnusedInitializers());
        assertEquals(List.of("Conv", "Relu"), PassChecks.opTypes(m.graph()));
        Node conv = m.graph().nodes().get(0);
        assertEquals(3, conv.inputCount(), "a bias is added");
        assertEquals(bnOut.name(), conv.output(0).name(), "the tensor keeps the name of the BN output");
        assertSame(conv.output(0), m.graph().nodes().get(1).input(0));
        assertEquals(List.of("w", "conv_bias"), m.graph().initializers().stream().map(Value::name).toList(),
                "the weight is updated in place, the new bias is named after the Conv, the BN parameters are gone");
    }

    @Test
    void sameNumbersForConvConvTransposeAndGemm() {
        PassChecks.assertPreservesOutputs(convBnRelu(true), 1, new FoldBatchNormIntoConv());
        PassChecks.assertPreservesOutputs(convBnRelu(false), 2, new FoldBatchNormIntoConv());

        GraphBuilder t = new GraphBuilder("convtranspose_bn", 13);
        Value x = t.input("x", DType.FLOAT, 1, 4, 5, 5);
        Value y = t.op("ConvTranspose", List.of(x, t.weights("w", 0.5f, 4, 3, 3, 3), t.weights("b", 0.1f, 6)),
                i("group", 2), ints("strides", 2, 2));
        t.output(batchNorm(t, y, 6, 11));
        PassChecks.assertPreservesOutputs(t.build(), 3, new FoldBatchNormIntoConv());

        GraphBuilder g = new GraphBuilder("gemm_bn", 13);
        Value a = g.input("a", DType.FLOAT, 3, 5);
        Value z = g.op("Gemm", List.of(a, g.weights("w", 0.5f, 4, 5), g.weights("c", 0.1f, 3, 4)), i("transB", 1),
                GraphBuilder.f("alpha", 0.7f), GraphBuilder.f("beta", 1.3f));
        g.output(batchNorm(g, z, 4, 13));
        Model gm = g.build();
        PassChecks.assertPreservesOutputs(gm, 4, new FoldBatchNormIntoConv());
        assertEquals(List.of("Gemm"), PassChecks.opTypes(gm.graph()));
    }

    @Test
    void sharedWeightsAreCopiedNotChanged() {
        GraphBuilder b = new GraphBuilder("shared", 13);
        Value x = b.input("x", DType.FLOAT, 1, 3, 6, 6);
        Value w = b.weights("w", 0.5f, 4, 3, 1, 1);
        Value plain = b.op("Conv", List.of(x, w));
        Value folded = batchNorm(b, b.op("Conv", List.of(x, w)), 4, 3);
        b.output(plain, folded);
        Model m = b.build();
        float before = w.constant().tensor().floats()[0];
        PassChecks.assertPreservesOutputs(m, 5, new FoldBatchNormIntoConv());
        Node first = m.graph().nodes().get(0);
        Node second = m.graph().nodes().get(1);
        assertSame(w, first.input(1));
        assertNotSame(w, second.input(1));
        assertEquals(before, w.constant().tensor().floats()[0]);
    }

    @Test
    void leavesBatchNormWhoseInputHasAnotherReader() {
        GraphBuilder b = new GraphBuilder("two_readers", 13);
        Value x = b.input("x", DType.FLOAT, 1, 3, 6, 6);
        Value y = b.op("Conv", List.of(x, b.weights("w", 0.5f, 4, 3, 3, 3)));
        b.output(batchNorm(b, y, 4, 3), b.op("Relu", y));
        PassChecks.assertUnchanged(b.build(), new FoldBatchNormIntoConv());
    }

    @Test
    void leavesBatchNormAfterNonConstantWeightsOrOtherOps() {
        GraphBuilder b = new GraphBuilder("dynamic_weight", 13);
        Value x = b.input("x", DType.FLOAT, 1, 3, 6, 6);
        Value w = b.input("w", DType.FLOAT, 4, 3, 3, 3);
        b.output(batchNorm(b, b.op("Conv", List.of(x, w)), 4, 3), batchNorm(b, b.op("Relu", x), 3, 5));
        PassChecks.assertUnchanged(b.build(), new FoldBatchNormIntoConv());
    }

    @Test
    void graphOutputKeepsItsName() {
        GraphBuilder b = new GraphBuilder("bn_output", 13);
        Value x = b.input("x", DType.FLOAT, 1, 3, 6, 6);
        Value bn = batchNorm(b, b.op("Conv", List.of(x, b.weights("w", 0.5f, 4, 3, 3, 3))), 4, 3);
        b.output(bn);
        Model m = b.build();
        String name = bn.name();
        PassChecks.assertPreservesOutputs(m, 6, new FoldBatchNormIntoConv());
        assertEquals(List.of(name), PassChecks.outputNames(m));
        assertTrue(m.graph().outputs().get(0).producer().opType().equals("Conv"));
    }
}
