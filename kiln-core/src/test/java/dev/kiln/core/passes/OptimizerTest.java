package dev.kiln.core.passes;

import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kiln.core.testing.GraphBuilder.f;
import static dev.kiln.core.testing.GraphBuilder.i;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The standard pass list on small graphs in the shapes that Caffe and PyTorch exports take. */
class OptimizerTest {
    /**
     * Caffe's Convolution -> BatchNorm (unit scale, zero shift) -> Scale (Mul, Add per channel) ->
     * ReLU, a zero Pad before the next conv, Dropout, and an InnerProduct as Flatten -> MatMul -> Add.
     */
    static Model caffeStyle() {
        GraphBuilder b = new GraphBuilder("caffe_style", 11);
        Value x = b.input("data", DType.FLOAT, 1, 3, 12, 12);
        Value y = b.op("Conv", List.of(x, b.weights("conv1_w", 0.4f, 8, 3, 3, 3), b.weights("conv1_b", 0.1f, 8)),
                ints("pads", 1, 1, 1, 1));
        Tensor ones = TestTensors.uniform(0, 1f, 1f, 8);
        y = b.op("BatchNormalization", List.of(y, b.constant("bn_scale", ones), b.constant("bn_shift", Tensor.allocate(DType.FLOAT, 8)),
                b.weights("bn_mean", 0.2f, 8), b.constant("bn_var", TestTensors.uniform(1, 0.5f, 2f, 8))), f("epsilon", 1e-5f));
        y = b.op("Mul", List.of(y, b.constant("scale_gamma", TestTensors.uniform(2, 0.5f, 1.5f, 1, 8, 1, 1))));
        y = b.op("Add", List.of(y, b.weights("scale_beta", 0.3f, 1, 8, 1, 1)));
        y = b.op("Relu", y);
        y = b.op("Pad", List.of(y, b.constant("pads", Tensor.vector(0, 0, 1, 1, 0, 0, 1, 1))));
        y = b.op("Conv", List.of(y, b.weights("conv2_w", 0.2f, 4, 8, 3, 3)), ints("strides", 2, 2));
        y = b.op("Dropout", y, f("ratio", 0.5f));
        y = b.op("Flatten", y, i("axis", 1));
        Value shape = b.node("Constant", List.of(), 1, Attribute.of("value", new ConstTensor(Tensor.vector(1, -1)))).output(0);
        y = b.op("Reshape", List.of(y, shape));
        y = b.op("MatMul", List.of(y, b.weights("fc_w", 0.1f, 144, 10)));
        y = b.op("Add", List.of(y, b.weights("fc_b", 0.1f, 10)));
        b.output(b.op("Identity", b.op("Softmax", y, i("axis", 1))));
        return b.build();
    }

    @Test
    void caffeStyleNetworkLosesEverythingButItsArithmetic() {
        Model m = caffeStyle();
        List<String> outputs = PassChecks.outputNames(m);
        PassChecks.RecordingLog log = new PassChecks.RecordingLog();
        PassManager.Result r = Optimizer.standardManager().withVerification(true).run(m, log);
        assertEquals(List.of("Conv", "Relu", "Conv", "Flatten", "Gemm", "Softmax"), PassChecks.opTypes(m.graph()));
        assertEquals(outputs, PassChecks.outputNames(m));
        assertTrue(r.converged());
        assertEquals(List.of("conv1_w", "conv1_b", "conv2_w", "fc_w", "fc_b"),
                m.graph().initializers().stream().map(Value::name).toList(), "folded weights keep their names; the rest is gone");
        assertEquals(List.of(
                "Summary info for constant_folding: the number of nodes has changed from 15 to 14",
                "Summary info for eliminate_identity: the number of nodes has changed from 14 to 13",
                "Summary info for eliminate_dropout: the number of nodes has changed from 13 to 12",
                "Summary info for eliminate_nop_reshape: the number of nodes has changed from 12 to 11",
                "Summary info for fold_bn_into_conv: the number of nodes has changed from 11 to 10",
                "Summary info for fold_mul_add_into_conv: the number of nodes has changed from 10 to 8",
                "Summary info for fold_pad_into_conv: the number of nodes has changed from 8 to 7",
                "Summary info for fuse_matmul_add_into_gemm: the number of nodes has changed from 7 to 6",
                "Summary info for remove_unused_initializers: the number of nodes has changed from 6 to 6"), log.info);
    }

    @Test
    void caffeStyleNetworkComputesTheSameNumbers() {
        PassChecks.assertPreservesOutputs(caffeStyle(), 21, Optimizer.standardPasses().toArray(new Pass[0]));
    }

    @Test
    void anAlreadyOptimalGraphIsLeftAlone() {
        GraphBuilder b = new GraphBuilder("optimal", 13);
        Value x = b.input("x", DType.FLOAT, 1, 3, 8, 8);
        Value y = b.op("Relu", b.op("Conv", List.of(x, b.weights("w", 0.5f, 4, 3, 3, 3), b.weights("b", 0.1f, 4))));
        y = b.op("Gemm", List.of(b.op("Flatten", b.op("GlobalAveragePool", y)), b.weights("fc", 0.5f, 4, 2), b.weights("fc_b", 0.1f, 2)));
        b.output(y);
        PassChecks.assertUnchanged(b.build(), Optimizer.standardPasses().toArray(new Pass[0]));
    }

    /**
     * An If whose branches read main-graph values only through their outputs and through a node:
     * then returns Identity(x) straight from the main graph, else computes Mul(Relu(x), w).
     */
    static Model ifReadingOuterValues() {
        GraphBuilder b = new GraphBuilder("branches", 13);
        Value cond = b.input("cond", DType.BOOL);
        Value x = b.input("x", DType.FLOAT, 2, 3);
        Value id = b.op("Identity", x);
        Value r = b.op("Relu", x);
        Value w = b.weights("w", 1f, 3);
        Graph g = b.graph();
        Graph then = g.newSubgraph("then");
        then.addOutput(id);
        Graph otherwise = g.newSubgraph("else");
        otherwise.addOutput(otherwise.addNode("scale", "Mul", "", null, List.of(r, w), List.of("scaled")).output(0));
        Attributes a = new Attributes();
        a.put(Attribute.of("then_branch", then));
        a.put(Attribute.of("else_branch", otherwise));
        b.output(g.addNode("choose", "If", "", a, List.of(cond), List.of("chosen")).output(0));
        return b.build();
    }

    @Test
    void valuesThatSubgraphsReadSurvive() {
        Model m = ifReadingOuterValues();
        Tensor x = TestTensors.normal(4, 2, 3);
        Map<String, Tensor> yes = Map.of("cond", Tensor.ofBools(new boolean[] {true}), "x", x);
        Map<String, Tensor> no = Map.of("cond", Tensor.ofBools(new boolean[] {false}), "x", x);
        Map<String, Tensor> beforeYes = PassChecks.run(m, yes);
        Map<String, Tensor> beforeNo = PassChecks.run(m, no);
        PassManager.Result r = Optimizer.standardManager().withVerification(true).run(m, PassLog.none());
        assertTrue(r.changed(), "the Identity goes");
        assertEquals(List.of("Relu", "If"), PassChecks.opTypes(m.graph()));
        assertEquals(List.of("w"), m.graph().initializers().stream().map(Value::name).toList());
        PassChecks.assertSameOutputs("then", beforeYes, PassChecks.run(m, yes));
        PassChecks.assertSameOutputs("else", beforeNo, PassChecks.run(m, no));
    }
}
