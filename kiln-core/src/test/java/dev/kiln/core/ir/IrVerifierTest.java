package dev.kiln.core.ir;

import dev.kiln.runtime.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IrVerifierTest {
    private static Graph chain() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", TensorType.of(DType.FLOAT, 2));
        Node a = g.addNode("a", "Relu", "", null, List.of(x), List.of("ya"));
        Node b = g.addNode("b", "Neg", "", null, List.of(a.output(0)), List.of("yb"));
        g.addOutput(b.output(0));
        return g;
    }

    @Test
    void soundGraphHasNoProblems() {
        assertEquals(List.of(), IrVerifier.check(chain()));
    }

    @Test
    void useBeforeDefinitionNamesTheNode() {
        Graph g = chain();
        Node a = g.findNode("a");
        Node b = g.findNode("b");
        // make 'a' read b's output: a cycle / use before definition
        a.setInput(0, b.output(0));
        List<String> p = IrVerifier.check(g);
        assertTrue(p.get(0).contains("node 'a' (Relu)") && p.get(0).contains("'yb'"), p.toString());
    }

    @Test
    void duplicateNodeNamesAndMissingOutputs() {
        Graph g = chain();
        g.findNode("b").setName("a");
        assertTrue(IrVerifier.check(g).stream().anyMatch(s -> s.contains("same name")));
        Graph h = chain();
        Graph other = new Graph("other");
        Value stray = other.addInput("stray", TensorType.of(DType.FLOAT, 1));
        h.addOutput(stray);
        assertTrue(IrVerifier.check(h).stream().anyMatch(s -> s.contains("'stray' is not defined")));
    }

    @Test
    void topologicalSortRepairsOrder() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", TensorType.of(DType.FLOAT, 2));
        Node a = g.addNode("a", "Relu", "", null, List.of(x), List.of("ya"));
        Node b = g.addNode("b", "Neg", "", null, List.of(x), List.of("yb"));
        a.setInput(0, b.output(0));
        g.addOutput(a.output(0));
        assertTrue(!IrVerifier.check(g).isEmpty());
        g.sortTopologically();
        assertEquals(List.of(), IrVerifier.check(g));
        assertEquals("b", g.nodes().get(0).name());
    }
}
