package dev.kiln.core.passes;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassManagerTest {
    static Pass pass(String name, BiPredicate<Graph, PassContext> body) {
        return new Pass() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean run(Graph g, PassContext ctx) {
                return body.test(g, ctx);
            }
        };
    }

    static Model reluChain(int n) {
        GraphBuilder b = new GraphBuilder("chain", 13);
        Value v = b.input("x", DType.FLOAT, 2, 3);
        for (int k = 0; k < n; k++) {
            v = b.op("Relu", v);
        }
        b.output(v);
        return b.build();
    }

    /** Removes the first Relu whose input is another Relu's output, one per run. */
    static final Pass REMOVE_ONE_RELU = pass("remove_one_relu", (g, ctx) -> {
        for (Node n : g.nodes()) {
            if (n.opType().equals("Relu") && n.input(0).producer() != null && n.input(0).producer().opType().equals("Relu")) {
                ctx.rewrote("removed '" + n.name() + "'");
                Rewrites.replaceOutput(g, n, n.output(0), n.input(0), false);
                return true;
            }
        }
        return false;
    });

    @Test
    void runsToAFixedPointAndLogsASummaryPerChange() {
        Model m = reluChain(4);
        List<String> outputs = PassChecks.outputNames(m);
        PassChecks.RecordingLog log = new PassChecks.RecordingLog();
        PassManager.Result r = new PassManager(List.of(REMOVE_ONE_RELU)).withVerification(true).run(m, log);
        assertEquals(new PassManager.Result(4, 1, 4, true, true), r);
        assertEquals(List.of(
                "Summary info for remove_one_relu: the number of nodes has changed from 4 to 3",
                "Summary info for remove_one_relu: the number of nodes has changed from 3 to 2",
                "Summary info for remove_one_relu: the number of nodes has changed from 2 to 1"), log.info);
        assertEquals("remove_one_relu: removed 'relu_1'", log.debug.get(0));
        assertEquals(outputs, PassChecks.outputNames(m), "the output keeps its name");
        assertTrue(log.warnings.isEmpty());
    }

    @Test
    void warnsWhenTheRoundCapIsReached() {
        PassChecks.RecordingLog log = new PassChecks.RecordingLog();
        PassManager.Result r = new PassManager(List.of(pass("always", (g, ctx) -> true))).withMaxRounds(3)
                .run(reluChain(1), log);
        assertFalse(r.converged());
        assertEquals(3, r.rounds());
        assertEquals(1, log.warnings.size());
        assertTrue(log.warnings.get(0).contains("3 rounds"), log.warnings.get(0));
    }

    @Test
    void verificationNamesThePassThatBrokeTheGraph() {
        Pass broken = pass("make_cycle", (g, ctx) -> {
            Node first = g.nodes().get(0);
            first.setInput(0, g.nodes().get(1).output(0));
            return true;
        });
        KilnException e = assertThrows(KilnException.class,
                () -> new PassManager(List.of(broken)).withVerification(true).run(reluChain(2), PassLog.none()));
        assertTrue(e.getMessage().contains("after pass make_cycle"), e.getMessage());
        assertTrue(e.getMessage().contains("relu"), e.getMessage());
    }

    @Test
    void failuresInsideAPassNameIt() {
        Pass failing = pass("failing", (g, ctx) -> {
            throw new IllegalStateException("boom");
        });
        KilnException e = assertThrows(KilnException.class, () -> new PassManager(List.of(failing)).run(reluChain(1), PassLog.none()));
        assertEquals("graph optimization failed in pass failing: boom", e.getMessage());
    }

    @Test
    void typesAreInferredBeforeEachPassAfterAChange() {
        List<TensorType> seen = new ArrayList<>();
        Pass addNode = pass("add_sigmoid", (g, ctx) -> {
            if (g.findNode("added") != null) {
                return false;
            }
            Value out = g.outputs().get(0);
            Node s = g.addNode("added", "Sigmoid", "", new Attributes(), List.of(out), List.of("added_out"));
            g.setOutput(0, s.output(0));
            return true;
        });
        Pass look = pass("look", (g, ctx) -> {
            seen.add(g.outputs().get(0).type());
            return false;
        });
        Model m = reluChain(1);
        new PassManager(List.of(addNode, look)).withVerification(true).run(m, PassLog.none());
        assertEquals(TensorType.of(DType.FLOAT, 2, 3), seen.get(0), "the new node's output type was inferred");
        assertEquals(TensorType.of(DType.FLOAT, 2, 3), m.graph().outputs().get(0).type());
    }

    @Test
    void javaUtilLoggingReceivesInfoWarningsAndDebug() {
        Logger logger = Logger.getLogger("kiln.passes.test");
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        List<String> records = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r.getLevel() + " " + r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(h);
        try {
            new PassManager(List.of(REMOVE_ONE_RELU)).run(reluChain(2), PassLog.of(logger));
        } finally {
            logger.removeHandler(h);
        }
        assertEquals(List.of("FINE remove_one_relu: removed 'relu_1'",
                "INFO Summary info for remove_one_relu: the number of nodes has changed from 2 to 1"), records);
    }
}
