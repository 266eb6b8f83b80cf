package dev.kiln.core.io;

import dev.kiln.core.KilnException;
import dev.kiln.core.io.onnx.OnnxExporter;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.io.onnx.proto.OnnxIr.GraphProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.ModelProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.NodeProto;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.IrVerifier;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Import and export of graphs with subgraphs (If branches) that read enclosing scopes. */
class SubgraphIoTest {
    /** y = x + x; r = If(cond, then: y, else: x) with both branch outputs read from the main graph. */
    private static Model ifOfOuterValues() {
        Graph g = new Graph("main");
        Value cond = g.addInput("cond", TensorType.of(DType.BOOL));
        Value x = g.addInput("x", TensorType.of(DType.FLOAT, 2));
        Value y = g.addNode("double", "Add", "", null, List.of(x, x), List.of("y")).output(0);
        y.setType(TensorType.of(DType.FLOAT, 2));
        Graph then = g.newSubgraph("then");
        then.addOutput(y);
        Graph otherwise = g.newSubgraph("else");
        otherwise.addOutput(x);
        Attributes a = new Attributes();
        a.put(Attribute.of("then_branch", then));
        a.put(Attribute.of("else_branch", otherwise));
        Node n = g.addNode("choose", "If", "", a, List.of(cond), List.of("r"));
        n.output(0).setType(TensorType.of(DType.FLOAT, 2));
        g.addOutput(n.output(0));
        Model m = new Model(g);
        m.opsets().put("", 13L);
        return m;
    }

    @Test
    void exportedBranchReturningAnOuterValueRunsInOrt() throws Exception {
        Model m = ifOfOuterValues();
        GraphProto then = OnnxExporter.toProto(m).getGraph().getNode(1).getAttribute(0).getG();
        assertEquals(1, then.getNodeCount());
        NodeProto forward = then.getNode(0);
        assertEquals("Identity", forward.getOpType());
        assertEquals(List.of("y"), forward.getInputList());
        assertNotEquals("y", forward.getOutput(0));
        assertEquals(forward.getOutput(0), then.getOutput(0).getName());
        // the IR itself is left as it was
        assertTrue(m.graph().findNode("choose").attrs().getGraph("then_branch").nodes().isEmpty());

        Tensor x = Tensor.of(new float[] {1.5f, -2f}, 2);
        Map<String, Tensor> t = OrtOracle.run(m, Map.of("cond", Tensor.ofBools(new boolean[] {true}), "x", x));
        assertArrayEquals(new float[] {3f, -4f}, t.get("r").toFloatArray());
        Map<String, Tensor> f = OrtOracle.run(m, Map.of("cond", Tensor.ofBools(new boolean[] {false}), "x", x));
        assertArrayEquals(new float[] {1.5f, -2f}, f.get("r").toFloatArray());
    }

    /** The exported model with its main-graph nodes in the given order. */
    private static ModelProto reordered(Model m, int... order) {
        ModelProto p = OnnxExporter.toProto(m);
        GraphProto g = p.getGraph();
        List<NodeProto> nodes = new ArrayList<>();
        for (int i : order) {
            nodes.add(g.getNode(i));
        }
        return p.toBuilder().setGraph(g.toBuilder().clearNode().addAllNode(nodes)).build();
    }

    @Test
    void importerWaitsForValuesASubgraphReads() {
        // the If comes first in the file although its branches read y, produced by the node after it
        Model back = OnnxImporter.fromProto(reordered(ifOfOuterValues(), 1, 0), null);
        Graph g = back.graph();
        IrVerifier.verify(g);
        assertEquals(List.of("double", "choose"), g.nodes().stream().map(Node::name).toList());
        Node choose = g.findNode("choose");
        assertTrue(choose.implicitInputs().contains(g.lookup("y")), "the If depends on y");
    }

    @Test
    void subgraphReadingAnUndefinedValueIsReported() {
        ModelProto p = reordered(ifOfOuterValues(), 1);
        KilnException e = assertThrows(KilnException.class, () -> OnnxImporter.fromProto(p, null));
        assertTrue(e.getMessage().contains("a subgraph of node 'choose' (If) reads 'y', which no node, input or"
                + " initializer defines"), e.getMessage());
    }
}
