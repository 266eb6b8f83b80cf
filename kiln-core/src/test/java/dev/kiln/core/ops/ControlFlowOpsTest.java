package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.onnx.OnnxExporter;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.IrVerifier;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** If, Loop and Scan built in Java (with reads from enclosing scopes), against ONNX Runtime. */
class ControlFlowOpsTest {
    private static final TensorType BOOL = TensorType.of(DType.BOOL);
    private static final TensorType I64 = TensorType.of(DType.INT64);

    private static Attributes attrs(Attribute... list) {
        Attributes a = new Attributes();
        for (Attribute x : list) {
            a.put(x);
        }
        return a;
    }

    private static Value op(Graph g, String type, String out, List<Value> in, Attribute... a) {
        return g.addNode(null, type, "", attrs(a), in, List.of(out)).output(0);
    }

    private static Value constant(Graph g, String out, Tensor t) {
        return op(g, "Constant", out, List.of(), Attribute.of("value", new ConstTensor(t)));
    }

    private static Model model(Graph g, long opset) {
        Model m = new Model(g);
        m.opsets().put("", opset);
        return m;
    }

    private static Map<String, Tensor> inputs(Object... nameValue) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], (Tensor) nameValue[i + 1]);
        }
        return m;
    }

    private static Tensor bool(boolean b) {
        return Tensor.ofBools(new boolean[] {b});
    }

    /** Runs the model in Kiln and ONNX Runtime; both must give the same outputs (types, shapes, values). */
    private static Map<String, Tensor> assertSameAsOrt(Model m, Map<String, Tensor> in) throws Exception {
        IrVerifier.verify(m.graph());
        Map<String, Tensor> ours = new Executor(m, 1).run(in);
        Map<String, Tensor> ort = OrtOracle.run(m, in);
        assertEquals(ort.keySet(), ours.keySet());
        for (String name : ort.keySet()) {
            String problem = new Tolerance(1e-6, 1e-7).mismatch(ort.get(name), ours.get(name));
            assertNull(problem, name + " with inputs " + in + ": " + problem);
        }
        return ours;
    }

    /** cond ? (x + y, x) : (constant [4], relu(y)): both branches read the main graph's values. */
    private static Model ifModel() {
        Graph g = new Graph("if");
        Value cond = g.addInput("cond", BOOL);
        Value x = g.addInput("x", TensorType.of(DType.FLOAT, 2, 3));
        Value y = g.addInput("y", TensorType.of(DType.FLOAT, 3));
        Graph then = g.newSubgraph("then");
        then.addOutput(op(then, "Add", "sum", List.of(x, y)));
        then.addOutput(x);
        Graph otherwise = g.newSubgraph("else");
        otherwise.addOutput(constant(otherwise, "four", Tensor.of(new float[] {1, 2, 3, 4}, 4)));
        otherwise.addOutput(op(otherwise, "Relu", "relu_y", List.of(y)));
        Node n = g.addNode("if", "If", "", attrs(Attribute.of("then_branch", then),
                Attribute.of("else_branch", otherwise)), List.of(cond), List.of("a", "b"));
        g.addOutput(n.output(0));
        g.addOutput(n.output(1));
        return model(g, 13);
    }

    @Test
    void ifRunsTheChosenBranchWithOuterScopeValues() throws Exception {
        Model m = ifModel();
        Tensor x = TestTensors.normal(1, 2, 3);
        Tensor y = TestTensors.normal(2, 3);
        Map<String, Tensor> t = assertSameAsOrt(m, inputs("cond", bool(true), "x", x, "y", y));
        assertArrayEquals(new int[] {2, 3}, t.get("a").shape());
        assertTrue(t.get("b").sameAs(x));
        Map<String, Tensor> f = assertSameAsOrt(m, inputs("cond", bool(false), "x", x, "y", y));
        assertArrayEquals(new int[] {4}, f.get("a").shape());
        assertArrayEquals(new int[] {3}, f.get("b").shape());
    }

    @Test
    void ifInferenceMergesBranchesOrTakesTheKnownOne() {
        Model m = ifModel();
        TypeInference.run(m);
        Node n = m.graph().nodes().get(0);
        assertEquals(TensorType.unranked(DType.FLOAT), n.output(0).type());
        assertEquals(TensorType.unranked(DType.FLOAT), n.output(1).type());

        Graph g = new Graph("const_if");
        Value cond = constant(g, "c", bool(false));
        Graph then = g.newSubgraph("then");
        then.addOutput(constant(then, "t", Tensor.of(new float[6], 2, 3)));
        Graph otherwise = g.newSubgraph("else");
        otherwise.addOutput(constant(otherwise, "e", Tensor.of(new float[2], 2, 1)));
        Node k = g.addNode("if", "If", "", attrs(Attribute.of("then_branch", then),
                Attribute.of("else_branch", otherwise)), List.of(cond), List.of("out"));
        g.addOutput(k.output(0));
        TypeInference.run(model(g, 13));
        assertEquals(TensorType.of(DType.FLOAT, 2, 1), k.output(0).type());
    }

    /**
     * Loop over (x, b1, b2, b3): x += w (w from the main graph); the flags shift left so the body's
     * condition output (b1, passed straight through) turns false when a false flag arrives. Scan
     * outputs: x after each step and iteration number + k (an initializer of the main graph).
     */
    private static Model shiftLoop(boolean withM, boolean withCond) {
        Graph g = new Graph("loop");
        Value m = withM ? g.addInput("M", I64) : null;
        Value cond = withCond ? g.addInput("cond", BOOL) : null;
        Value x0 = g.addInput("x0", TensorType.of(DType.FLOAT, 2));
        Value w = g.addInput("w", TensorType.of(DType.FLOAT, 2));
        Value k = g.addInitializer("k", new ConstTensor(Tensor.scalarLong(100)));
        Value f1 = g.addInput("f1", BOOL);
        Value f2 = g.addInput("f2", BOOL);
        Value f3 = g.addInput("f3", BOOL);
        Graph body = g.newSubgraph("body");
        Value i = body.addInput("i", I64);
        body.addInput("c", BOOL);
        Value x = body.addInput("x", TensorType.of(DType.FLOAT, 2));
        Value b1 = body.addInput("b1", BOOL);
        Value b2 = body.addInput("b2", BOOL);
        Value b3 = body.addInput("b3", BOOL);
        Value next = op(body, "Add", "x_next", List.of(x, w));
        Value ik = op(body, "Add", "i_plus_k", List.of(i, k));
        Value seen = op(body, "Identity", "x_seen", List.of(next));
        seen.setType(TensorType.of(DType.FLOAT, 2));
        ik.setType(I64);
        body.addOutput(b1);
        body.addOutput(next);
        body.addOutput(b2);
        body.addOutput(b3);
        body.addOutput(b3);
        body.addOutput(seen);
        body.addOutput(ik);
        List<Value> in = new ArrayList<>(Arrays.asList(m, cond, x0, f1, f2, f3));
        Node loop = g.addNode("loop", "Loop", "", attrs(Attribute.of("body", body)), in,
                List.of("x_final", "f1_final", "f2_final", "f3_final", "xs", "iters"));
        for (Value o : loop.outputs()) {
            g.addOutput(o);
        }
        return model(g, 16);
    }

    private static Map<String, Tensor> shiftInputs(Long m, Boolean cond, boolean f1, boolean f2, boolean f3) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        if (m != null) {
            in.put("M", Tensor.scalarLong(m));
        }
        if (cond != null) {
            in.put("cond", Tensor.ofBools(new boolean[] {cond}));
        }
        in.put("x0", Tensor.of(new float[] {1, -2}, 2));
        in.put("w", Tensor.of(new float[] {0.5f, 0.25f}, 2));
        in.put("f1", bool(f1));
        in.put("f2", bool(f2));
        in.put("f3", bool(f3));
        return in;
    }

    @Test
    void loopWithTripCountAndConditionMatchesOrt() throws Exception {
        Model m = shiftLoop(true, true);
        Map<String, Tensor> five = assertSameAsOrt(m, shiftInputs(5L, true, true, true, true));
        assertArrayEquals(new int[] {5, 2}, five.get("xs").shape());
        assertArrayEquals(new long[] {100, 101, 102, 103, 104}, five.get("iters").toLongArray());
        assertEquals(3.5f, five.get("x_final").getFloat(0));
        Map<String, Tensor> stopped = assertSameAsOrt(m, shiftInputs(10L, true, true, true, false));
        assertArrayEquals(new int[] {3, 2}, stopped.get("xs").shape());
        Map<String, Tensor> never = assertSameAsOrt(m, shiftInputs(10L, false, true, true, true));
        assertArrayEquals(new int[] {0, 2}, never.get("xs").shape());
        assertArrayEquals(new int[] {0}, never.get("iters").shape());
        assertSameAsOrt(m, shiftInputs(0L, true, true, true, true));
        assertSameAsOrt(m, shiftInputs(-3L, true, true, true, true));
    }

    @Test
    void loopWithoutTripCountOrWithoutCondition() throws Exception {
        Map<String, Tensor> whileLoop = assertSameAsOrt(shiftLoop(false, true), shiftInputs(null, true, true, true, false));
        assertArrayEquals(new int[] {3, 2}, whileLoop.get("xs").shape());
        // without a cond input the body's condition output still ends the loop (as in ONNX Runtime)
        Map<String, Tensor> forLoop = assertSameAsOrt(shiftLoop(true, false), shiftInputs(6L, null, true, false, true));
        assertArrayEquals(new int[] {2, 2}, forLoop.get("xs").shape());
        Map<String, Tensor> full = assertSameAsOrt(shiftLoop(true, false), shiftInputs(4L, null, true, true, true));
        assertArrayEquals(new int[] {4, 2}, full.get("xs").shape());
    }

    /**
     * A carried value that changes shape: an If inside the body returns x + x while the flag holds,
     * then relu(z) of three elements. The branches read the body's input x and the main graph's z.
     */
    private static Model reshapingLoop() {
        Graph g = new Graph("reshaping");
        Value m = g.addInput("M", I64);
        Value x0 = g.addInput("x0", TensorType.of(DType.FLOAT, 2));
        Value f1 = g.addInput("f1", BOOL);
        Value f2 = g.addInput("f2", BOOL);
        Value z = g.addInput("z", TensorType.of(DType.FLOAT, 3));
        Graph body = g.newSubgraph("body");
        body.addInput("i", I64);
        Value c = body.addInput("c", BOOL);
        Value x = body.addInput("x", TensorType.unranked(DType.FLOAT));
        Value b1 = body.addInput("b1", BOOL);
        Value b2 = body.addInput("b2", BOOL);
        Graph then = body.newSubgraph("double");
        then.addOutput(op(then, "Add", "twice", List.of(x, x)));
        Graph otherwise = body.newSubgraph("three");
        otherwise.addOutput(op(otherwise, "Relu", "relu_z", List.of(z)));
        Node choose = body.addNode("choose", "If", "", attrs(Attribute.of("then_branch", then),
                Attribute.of("else_branch", otherwise)), List.of(b1), List.of("x_next"));
        Value flag = op(body, "Identity", "flag_seen", List.of(b1));
        flag.setType(BOOL);
        body.addOutput(op(body, "Identity", "c_out", List.of(c)));
        body.addOutput(choose.output(0));
        body.addOutput(b2);
        body.addOutput(b2);
        body.addOutput(flag);
        Node loop = g.addNode("loop", "Loop", "", attrs(Attribute.of("body", body)),
                Arrays.asList(m, null, x0, f1, f2), List.of("x_final", "f1_final", "f2_final", "flags"));
        g.addOutput(loop.output(0));
        g.addOutput(loop.output(3));
        return model(g, 13);
    }

    @Test
    void loopCarriedValuesMayChangeShape() throws Exception {
        Model m = reshapingLoop();
        Map<String, Tensor> in = inputs("M", Tensor.scalarLong(3), "x0", Tensor.of(new float[] {1, 2}, 2),
                "f1", bool(true), "f2", bool(false), "z", Tensor.of(new float[] {7, -8, 9}, 3));
        Map<String, Tensor> out = assertSameAsOrt(m, in);
        assertArrayEquals(new float[] {7, 0, 9}, out.get("x_final").toFloatArray());
        in.put("M", Tensor.scalarLong(1));
        out = assertSameAsOrt(m, in);
        assertArrayEquals(new float[] {2, 4}, out.get("x_final").toFloatArray());
        // the carried output's shape is not fixed: inference must not claim one
        Node loop = m.graph().findNode("loop");
        assertEquals(TensorType.unranked(DType.FLOAT), loop.output(0).type());
        assertEquals(TensorType.of(DType.BOOL, -1), loop.output(3).type());
    }

    /**
     * x doubles in length every iteration (Concat) and is reshaped to its own Shape: inference must
     * not freeze the first iteration's shape into the body (Shape folded to a constant would break
     * the Reshape from the second iteration on).
     */
    @Test
    void loopBodyShapesAreNotFrozenByInference() throws Exception {
        Graph g = new Graph("growing");
        Value m = g.addInput("M", I64);
        Value x0 = g.addInput("x0", TensorType.of(DType.FLOAT, 1));
        Graph body = g.newSubgraph("body");
        body.addInput("i", I64);
        Value c = body.addInput("c", BOOL);
        Value x = body.addInput("x", TensorType.unranked(DType.FLOAT));
        Value shape = op(body, "Shape", "shape", List.of(x));
        Value same = op(body, "Reshape", "same", List.of(x, shape));
        Value twice = op(body, "Concat", "twice", List.of(same, x), Attribute.of("axis", 0L));
        body.addOutput(op(body, "Identity", "c_out", List.of(c)));
        body.addOutput(twice);
        body.addOutput(op(body, "Identity", "shape_seen", List.of(shape)));
        Node loop = g.addNode("loop", "Loop", "", attrs(Attribute.of("body", body)), Arrays.asList(m, null, x0),
                List.of("x_final", "shapes"));
        g.addOutput(loop.output(0));
        g.addOutput(loop.output(1));
        Map<String, Tensor> out = assertSameAsOrt(model(g, 13),
                inputs("M", Tensor.scalarLong(4), "x0", Tensor.of(new float[] {2.5f}, 1)));
        assertArrayEquals(new int[] {16}, out.get("x_final").shape());
        assertArrayEquals(new long[] {1, 2, 4, 8}, out.get("shapes").toLongArray());
    }

    @Test
    void exportedLoopRunsInOrtAndImportsBack() throws Exception {
        Model m = shiftLoop(true, true);
        Map<String, Tensor> in = shiftInputs(4L, true, true, true, true);
        Map<String, Tensor> ours = new Executor(m, 1).run(in);
        Path file = Files.createTempFile("kiln-loop-", ".onnx");
        try {
            OnnxExporter.save(m, file);
            Map<String, Tensor> ort = OrtOracle.run(file, in);
            Model back = OnnxImporter.load(file);
            IrVerifier.verify(back.graph());
            Map<String, Tensor> again = new Executor(back, 1).run(in);
            for (String name : ours.keySet()) {
                assertTrue(ours.get(name).sameAs(ort.get(name)), name + " differs in ONNX Runtime");
                assertTrue(ours.get(name).sameAs(again.get(name)), name + " differs after import");
            }
            Node loop = back.graph().findNode("loop");
            Graph body = loop.attrs().getGraph("body");
            assertEquals(List.of(back.graph().lookup("w"), back.graph().lookup("k")), loop.implicitInputs());
            assertEquals(back.graph(), body.parent());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Scan (opset 11) with a state, two scan inputs on different axes and directions, and two scan
     * outputs on different axes, one reversed; the body reads w from the main graph.
     */
    @Test
    void scanAxesAndDirectionsMatchOrt() throws Exception {
        Graph g = new Graph("scan");
        Value s0 = g.addInput("s0", TensorType.of(DType.FLOAT, 2));
        Value a = g.addInput("a", TensorType.of(DType.FLOAT, 4, 2));
        Value b = g.addInput("b", TensorType.of(DType.FLOAT, 2, 4));
        Value w = g.addInput("w", TensorType.of(DType.FLOAT, 2));
        Graph body = g.newSubgraph("body");
        Value s = body.addInput("s", TensorType.of(DType.FLOAT, 2));
        Value at = body.addInput("a_t", TensorType.of(DType.FLOAT, 2));
        Value bt = body.addInput("b_t", TensorType.of(DType.FLOAT, 2));
        Value s1 = op(body, "Add", "s1", List.of(s, at));
        Value s2 = op(body, "Add", "s2", List.of(s1, bt));
        body.addOutput(s2);
        body.addOutput(op(body, "Identity", "s_seen", List.of(s2)));
        body.addOutput(op(body, "Add", "a_w", List.of(at, w)));
        Node scan = g.addNode("scan", "Scan", "", attrs(Attribute.of("body", body),
                Attribute.of("num_scan_inputs", 2L),
                Attribute.of("scan_input_axes", new long[] {0, -1}),
                Attribute.of("scan_input_directions", new long[] {0, 1}),
                Attribute.of("scan_output_axes", new long[] {1, 0}),
                Attribute.of("scan_output_directions", new long[] {1, 0})),
                List.of(s0, a, b), List.of("s_final", "s_all", "a_plus_w"));
        for (Value o : scan.outputs()) {
            g.addOutput(o);
        }
        Model m = model(g, 11);
        Map<String, Tensor> out = assertSameAsOrt(m, inputs("s0", TestTensors.normal(1, 2),
                "a", TestTensors.normal(2, 4, 2), "b", TestTensors.normal(3, 2, 4), "w", TestTensors.normal(4, 2)));
        assertArrayEquals(new int[] {2, 4}, out.get("s_all").shape());
        assertEquals(TensorType.of(DType.FLOAT, 2, 4), scan.output(1).type());
        assertEquals(TensorType.of(DType.FLOAT, 4, 2), scan.output(2).type());
    }

    @Test
    void scanOpset8BatchesWithSequenceLengths() throws Exception {
        Graph g = new Graph("scan8");
        Value lens = g.addInput("lens", TensorType.of(DType.INT64, -1));
        Value s0 = g.addInput("s0", TensorType.of(DType.FLOAT, -1, 3));
        Value x = g.addInput("x", TensorType.of(DType.FLOAT, -1, 4, 3));
        Graph body = g.newSubgraph("body");
        Value s = body.addInput("s", TensorType.of(DType.FLOAT, 3));
        Value xt = body.addInput("x_t", TensorType.of(DType.FLOAT, 3));
        Value sum = op(body, "Add", "sum", List.of(s, xt));
        body.addOutput(sum);
        body.addOutput(op(body, "Identity", "sum_seen", List.of(sum)));
        Node scan = g.addNode("scan", "Scan", "", attrs(Attribute.of("body", body),
                Attribute.of("num_scan_inputs", 1L), Attribute.of("directions", new long[] {1})),
                List.of(lens, s0, x), List.of("s_final", "sums"));
        g.addOutput(scan.output(0));
        g.addOutput(scan.output(1));
        Model m = model(g, 8);
        Map<String, Tensor> in = inputs("lens", Tensor.vector(4, 2), "s0", TestTensors.normal(5, 2, 3),
                "x", TestTensors.normal(6, 2, 4, 3));
        Map<String, Tensor> out = assertSameAsOrt(m, in);
        for (int i = 2 * 12 - 6; i < 24; i++) {
            assertEquals(0f, out.get("sums").getFloat(i), "padding after the second entry's length");
        }
        Map<String, Tensor> none = new Executor(m, 1).run(inputs("lens", Tensor.vector(), "s0",
                Tensor.allocate(DType.FLOAT, 0, 3), "x", Tensor.allocate(DType.FLOAT, 0, 4, 3)));
        assertArrayEquals(new int[] {0, 3}, none.get("s_final").shape());
        assertArrayEquals(new int[] {0, 4, 3}, none.get("sums").shape());
    }

    @Test
    void malformedBodiesAreReported() {
        Graph g = new Graph("bad");
        Value m = g.addInput("M", I64);
        Value x = g.addInput("x", TensorType.of(DType.FLOAT, 2));
        Graph body = g.newSubgraph("body");
        body.addInput("i", I64);
        Value c = body.addInput("c", BOOL);
        body.addOutput(c);
        Node loop = g.addNode("loop", "Loop", "", attrs(Attribute.of("body", body)), Arrays.asList(m, null, x),
                List.of("y"));
        g.addOutput(loop.output(0));
        KilnException e = assertThrows(KilnException.class, () -> new Executor(model(g, 13), 1));
        assertTrue(e.getMessage().contains("node 'loop' (Loop): the body takes 2 inputs but should take 3"),
                e.getMessage());

        Graph h = new Graph("bad_if");
        Value cond = h.addInput("cond", BOOL);
        Graph then = h.newSubgraph("then");
        then.addOutput(constant(then, "t", Tensor.scalar(1)));
        Graph otherwise = h.newSubgraph("else");
        Node n = h.addNode("if", "If", "", attrs(Attribute.of("then_branch", then),
                Attribute.of("else_branch", otherwise)), List.of(cond), List.of("r"));
        h.addOutput(n.output(0));
        e = assertThrows(KilnException.class, () -> new Executor(model(h, 13), 1));
        assertTrue(e.getMessage().contains("then_branch has 1 outputs and else_branch 0"), e.getMessage());

        Graph k = new Graph("no_branch");
        Value cond2 = k.addInput("cond", BOOL);
        Node n2 = k.addNode("if", "If", "", attrs(), List.of(cond2), List.of("r"));
        k.addOutput(n2.output(0));
        e = assertThrows(KilnException.class, () -> new Executor(model(k, 13), 1));
        assertTrue(e.getMessage().contains("attribute 'then_branch' (a graph) is missing"), e.getMessage());
    }

    @Test
    void scanOutputTypesCarryTheSequenceLength() {
        Graph g = new Graph("scan_types");
        Value s0 = g.addInput("s0", TensorType.of(DType.FLOAT, 2));
        Value x = g.addInput("x", new TensorType(DType.FLOAT, new Dim[] {Dim.symbol("T"), Dim.of(2)}));
        Graph body = g.newSubgraph("body");
        Value s = body.addInput("s", TensorType.unknown());
        Value xt = body.addInput("x_t", TensorType.unknown());
        Value sum = op(body, "Add", "sum", List.of(s, xt));
        body.addOutput(sum);
        body.addOutput(sum);
        Node scan = g.addNode("scan", "Scan", "", attrs(Attribute.of("body", body),
                Attribute.of("num_scan_inputs", 1L)), List.of(s0, x), List.of("s_final", "sums"));
        g.addOutput(scan.output(1));
        TypeInference.run(model(g, 16));
        assertEquals(TensorType.of(DType.FLOAT, 2), s.type());
        assertEquals(TensorType.of(DType.FLOAT, 2), xt.type());
        assertEquals(new TensorType(DType.FLOAT, new Dim[] {Dim.symbol("T"), Dim.of(2)}), scan.output(1).type());
    }
}
