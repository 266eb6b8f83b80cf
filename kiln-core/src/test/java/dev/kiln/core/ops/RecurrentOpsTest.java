package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.ops.norm.RecurrentMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

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

/** LSTM, GRU and RNN against ONNX Runtime over directions, optional inputs, activations, clip and layout. */
class RecurrentOpsTest {
    private static final String[] INPUTS = {"X", "W", "R", "B", "sequence_lens", "initial_h", "initial_c", "P"};

    /** What one test case feeds a recurrent node. */
    private static final class Case {
        final String op;
        final int gates;
        int seq = 5;
        int batch = 3;
        int input = 4;
        int hidden = 6;
        int opset = 14;
        String direction = "forward";
        int layout = 0;
        boolean bias = true;
        boolean lengths;
        boolean initialH;
        boolean initialC;
        boolean peepholes;
        int[] lengthValues;
        boolean yOutput = true;
        /** W and R as initializers (the kernel then transposes them once, when prepared). */
        boolean constantWeights;
        DType dtype = DType.FLOAT;
        final Attributes attrs = new Attributes();
        long seed = 1;

        Case(String op) {
            this.op = op;
            this.gates = op.equals("LSTM") ? 4 : op.equals("GRU") ? 3 : 1;
        }

        int dirs() {
            return direction.equals("bidirectional") ? 2 : 1;
        }

        Case set(Attribute a) {
            attrs.put(a);
            return this;
        }
    }

    /** The model and its inputs (float tensors, converted to the case's dtype). */
    private static Map<String, Tensor> inputs(Case c) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        int d = c.dirs();
        int gh = c.gates * c.hidden;
        in.put("X", c.layout == 0 ? TestTensors.normal(c.seed, c.seq, c.batch, c.input)
                : TestTensors.normal(c.seed, c.batch, c.seq, c.input));
        in.put("W", TestTensors.uniform(c.seed + 1, -0.5f, 0.5f, d, gh, c.input));
        in.put("R", TestTensors.uniform(c.seed + 2, -0.5f, 0.5f, d, gh, c.hidden));
        if (c.bias) {
            in.put("B", TestTensors.uniform(c.seed + 3, -0.5f, 0.5f, d, 2 * gh));
        }
        if (c.lengths) {
            int[] l = c.lengthValues;
            if (l == null) {
                l = new int[c.batch];
                for (int b = 0; b < c.batch; b++) {
                    l[b] = 1 + (b * 2) % c.seq;
                }
            }
            in.put("sequence_lens", Tensor.ofInts(l.clone(), c.batch));
        }
        int[] state = c.layout == 0 ? new int[] {d, c.batch, c.hidden} : new int[] {c.batch, d, c.hidden};
        if (c.initialH) {
            in.put("initial_h", TestTensors.normal(c.seed + 4, state));
        }
        if (c.initialC) {
            in.put("initial_c", TestTensors.normal(c.seed + 5, state));
        }
        if (c.peepholes) {
            in.put("P", TestTensors.uniform(c.seed + 6, -0.5f, 0.5f, d, 3 * c.hidden));
        }
        if (c.dtype != DType.FLOAT) {
            for (Map.Entry<String, Tensor> e : in.entrySet()) {
                if (!e.getKey().equals("sequence_lens")) {
                    e.setValue(e.getValue().castTo(c.dtype));
                }
            }
        }
        return in;
    }

    private static Model model(Case c, Map<String, Tensor> in) {
        Graph g = new Graph("rnn");
        List<Value> nodeInputs = new ArrayList<>();
        int count = c.op.equals("LSTM") ? 8 : 6;
        for (int i = 0; i < count; i++) {
            Tensor t = in.get(INPUTS[i]);
            if (t != null && c.constantWeights && (i == 1 || i == 2)) {
                nodeInputs.add(g.addInitializer(INPUTS[i], new ConstTensor(t)));
                continue;
            }
            nodeInputs.add(t == null ? null : g.addInput(INPUTS[i], TensorType.of(t.dtype(), t.shape())));
        }
        while (!nodeInputs.isEmpty() && nodeInputs.get(nodeInputs.size() - 1) == null) {
            nodeInputs.remove(nodeInputs.size() - 1);
        }
        Attributes a = c.attrs.copy();
        a.put(Attribute.of("hidden_size", (long) c.hidden));
        a.put(Attribute.of("direction", c.direction));
        if (c.layout != 0) {
            a.put(Attribute.of("layout", (long) c.layout));
        }
        List<String> outs = new ArrayList<>(List.of(c.yOutput ? "Y" : "", "Y_h"));
        if (c.op.equals("LSTM")) {
            outs.add("Y_c");
        }
        Node n = g.addNode("rnn", c.op, "", a, nodeInputs, outs);
        for (Value o : n.outputs()) {
            if (o != null) {
                g.addOutput(o);
            }
        }
        Model m = new Model(g);
        m.opsets().put("", (long) c.opset);
        return m;
    }

    private static Map<String, Tensor> kiln(Case c) {
        Map<String, Tensor> in = inputs(c);
        Model m = model(c, in);
        return new Executor(m, 2).run(feeds(m, in));
    }

    /** The inputs the model takes as graph inputs (not those built in as initializers). */
    private static Map<String, Tensor> feeds(Model m, Map<String, Tensor> in) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Value v : m.graph().inputs()) {
            out.put(v.name(), in.get(v.name()));
        }
        return out;
    }

    /** Runs the case in Kiln and ONNX Runtime and compares every output. */
    private static void compareWithOrt(Case c) throws Exception {
        Map<String, Tensor> all = inputs(c);
        Model m = model(c, all);
        Map<String, Tensor> in = feeds(m, all);
        Map<String, Tensor> ours = new Executor(m, 2).run(in);
        Map<String, Tensor> ort = OrtOracle.run(m, in);
        assertEquals(ort.keySet(), ours.keySet());
        for (String name : ort.keySet()) {
            Tensor e = ort.get(name);
            Tensor a = ours.get(name);
            assertArrayEquals(e.shape(), a.shape(), c.op + " " + name + " shape");
            double err = Tolerance.rangeRelativeError(e, a);
            assertTrue(err <= 1e-5, c.op + " " + c.direction + " " + c.attrs + " output " + name + ": error " + err);
        }
    }

    @Test
    void lstmMatchesOrtOverDirectionsAndOptionalInputs() throws Exception {
        for (String dir : new String[] {"forward", "reverse", "bidirectional"}) {
            for (int variant = 0; variant < 4; variant++) {
                Case c = new Case("LSTM");
                c.direction = dir;
                c.seed = 10 + variant;
                c.bias = variant != 1;
                c.lengths = variant >= 2;
                c.initialH = variant >= 1;
                c.initialC = variant >= 1;
                c.peepholes = variant == 3;
                compareWithOrt(c);
            }
        }
    }

    @Test
    void constantWeightsAreTransposedOnceAndGiveTheSameResults() throws Exception {
        for (String op : new String[] {"LSTM", "GRU", "RNN"}) {
            Case c = new Case(op);
            c.direction = "bidirectional";
            c.constantWeights = true;
            c.initialH = true;
            compareWithOrt(c);
            Map<String, Tensor> in = inputs(c);
            Model m = model(c, in);
            Executor ex = new Executor(m, 1);
            Map<String, Tensor> first = ex.run(feeds(m, in));
            Map<String, Tensor> second = ex.run(feeds(m, in));
            assertTrue(first.get("Y").sameAs(second.get("Y")), op + " repeated run");
        }
    }

    @Test
    void lstmClipInputForgetAndOpset7() throws Exception {
        Case c = new Case("LSTM").set(Attribute.of("clip", 0.7f)).set(Attribute.of("input_forget", 1L));
        c.direction = "bidirectional";
        c.peepholes = true;
        c.initialC = true;
        c.lengths = true;
        compareWithOrt(c);
        Case old = new Case("LSTM");
        old.opset = 7;
        old.direction = "reverse";
        compareWithOrt(old);
    }

    @Test
    void lstmActivationsWithAlphaAndBeta() throws Exception {
        String[][] sets = {
            {"HardSigmoid", "LeakyRelu", "Softsign", "Sigmoid", "Elu", "Softplus"},
            {"Sigmoid", "ScaledTanh", "Affine", "Relu", "Tanh", "ThresholdedRelu"},
        };
        for (String[] acts : sets) {
            Case c = new Case("LSTM").set(Attribute.strings("activations", List.of(acts)))
                    .set(Attribute.of("activation_alpha", new float[] {0.3f, 0.2f, 0.9f}))
                    .set(Attribute.of("activation_beta", new float[] {0.4f, 0.1f}));
            c.direction = "bidirectional";
            compareWithOrt(c);
        }
        // defaults when the lists are absent or run out
        Case c = new Case("LSTM").set(Attribute.strings("activations", List.of("HardSigmoid", "Elu", "LeakyRelu")));
        compareWithOrt(c);
    }

    @Test
    void gruMatchesOrtWithAndWithoutLinearBeforeReset() throws Exception {
        for (String dir : new String[] {"forward", "reverse", "bidirectional"}) {
            for (long lbr = 0; lbr <= 1; lbr++) {
                for (int variant = 0; variant < 3; variant++) {
                    Case c = new Case("GRU").set(Attribute.of("linear_before_reset", lbr));
                    c.direction = dir;
                    c.seed = 20 + variant;
                    c.bias = variant != 1;
                    c.initialH = variant >= 1;
                    c.lengths = variant == 2;
                    compareWithOrt(c);
                }
            }
        }
    }

    @Test
    void gruClipActivationsAndMissingY() throws Exception {
        Case c = new Case("GRU").set(Attribute.of("clip", 0.5f))
                .set(Attribute.strings("activations", List.of("Softsign", "Relu", "HardSigmoid", "Tanh")))
                .set(Attribute.of("activation_alpha", new float[] {0.3f}))
                .set(Attribute.of("activation_beta", new float[] {0.6f}));
        c.direction = "bidirectional";
        c.lengths = true;
        compareWithOrt(c);
        Case noY = new Case("GRU");
        noY.yOutput = false;
        noY.lengths = true;
        noY.initialH = true;
        compareWithOrt(noY);
    }

    @Test
    void rnnMatchesOrt() throws Exception {
        for (String dir : new String[] {"forward", "reverse", "bidirectional"}) {
            Case c = new Case("RNN");
            c.direction = dir;
            c.lengths = true;
            c.initialH = true;
            compareWithOrt(c);
        }
        Case relu = new Case("RNN").set(Attribute.strings("activations", List.of("Relu", "LeakyRelu")))
                .set(Attribute.of("activation_alpha", new float[] {0f, 0.2f})).set(Attribute.of("clip", 1.5f));
        relu.direction = "bidirectional";
        compareWithOrt(relu);
        Case negativeClip = new Case("RNN").set(Attribute.of("clip", -1f));
        compareWithOrt(negativeClip);
        Case noBias = new Case("RNN");
        noBias.bias = false;
        noBias.opset = 7;
        compareWithOrt(noBias);
    }

    @Test
    void lengthsOfZeroGiveZeroStatesAndOutputs() throws Exception {
        Case c = new Case("LSTM");
        c.direction = "bidirectional";
        c.lengths = true;
        c.lengthValues = new int[] {0, 5, 2};
        c.initialH = true;
        c.initialC = true;
        Map<String, Tensor> out = kiln(c);
        Tensor yh = out.get("Y_h");
        for (int d = 0; d < 2; d++) {
            for (int j = 0; j < c.hidden; j++) {
                assertEquals(0f, yh.getFloat((d * c.batch) * c.hidden + j));
                assertEquals(0f, out.get("Y_c").getFloat((d * c.batch) * c.hidden + j));
            }
        }
        // Y past each entry's length is zero: entry 2 has length 2
        Tensor y = out.get("Y");
        for (int t = 2; t < c.seq; t++) {
            for (int d = 0; d < 2; d++) {
                for (int j = 0; j < c.hidden; j++) {
                    assertEquals(0f, y.getFloat(((t * 2 + d) * c.batch + 2) * c.hidden + j));
                }
            }
        }
        Case gru = new Case("GRU");
        gru.lengths = true;
        gru.lengthValues = new int[] {1, 5, 3};
        gru.direction = "bidirectional";
        compareWithOrt(gru);
    }

    @Test
    void batchMajorLayoutEqualsSequenceMajor() {
        for (String op : new String[] {"LSTM", "GRU", "RNN"}) {
            Case seqMajor = new Case(op);
            seqMajor.direction = "bidirectional";
            seqMajor.initialH = true;
            seqMajor.initialC = op.equals("LSTM");
            seqMajor.lengths = true;
            Map<String, Tensor> in = inputs(seqMajor);
            Map<String, Tensor> expected = new Executor(model(seqMajor, in), 1).run(in);

            Case batchMajor = new Case(op);
            batchMajor.direction = "bidirectional";
            batchMajor.layout = 1;
            batchMajor.initialH = true;
            batchMajor.initialC = op.equals("LSTM");
            batchMajor.lengths = true;
            Map<String, Tensor> bin = new LinkedHashMap<>(in);
            bin.put("X", swap01(in.get("X")));
            bin.put("initial_h", swap01(in.get("initial_h")));
            if (in.containsKey("initial_c")) {
                bin.put("initial_c", swap01(in.get("initial_c")));
            }
            Map<String, Tensor> actual = new Executor(model(batchMajor, bin), 1).run(bin);
            // Y: [seq, dirs, batch, H] -> [batch, seq, dirs, H]
            Tensor y = expected.get("Y");
            int s = y.dim(0);
            int d = y.dim(1);
            int b = y.dim(2);
            int h = y.dim(3);
            Tensor yb = swap01(y.reshape(s * d, b, h)).reshape(b, s, d, h);
            assertNull(new Tolerance(0, 0).mismatch(yb, actual.get("Y")), op + " Y");
            assertNull(new Tolerance(0, 0).mismatch(swap01(expected.get("Y_h")), actual.get("Y_h")), op + " Y_h");
            if (op.equals("LSTM")) {
                assertNull(new Tolerance(0, 0).mismatch(swap01(expected.get("Y_c")), actual.get("Y_c")), "Y_c");
            }
        }
    }

    /** Swaps the first two axes of a rank-3 tensor. */
    private static Tensor swap01(Tensor t) {
        int a = t.dim(0);
        int b = t.dim(1);
        int c = t.dim(2);
        int[] idx = new int[a * b * c];
        for (int j = 0; j < b; j++) {
            for (int i = 0; i < a; i++) {
                for (int k = 0; k < c; k++) {
                    idx[(j * a + i) * c + k] = (i * b + j) * c + k;
                }
            }
        }
        return t.gather(idx, new int[] {b, a, c});
    }

    @Test
    void handComputedRnnStep() {
        // H = 1, I = 1: h1 = tanh(0.5*1 + 0.25*0 + 0.1 + 0.2), h2 = tanh(0.5*2 + 0.25*h1 + 0.3)
        Case c = new Case("RNN");
        c.seq = 2;
        c.batch = 1;
        c.input = 1;
        c.hidden = 1;
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("X", Tensor.of(new float[] {1, 2}, 2, 1, 1));
        in.put("W", Tensor.of(new float[] {0.5f}, 1, 1, 1));
        in.put("R", Tensor.of(new float[] {0.25f}, 1, 1, 1));
        in.put("B", Tensor.of(new float[] {0.1f, 0.2f}, 1, 2));
        Map<String, Tensor> out = new Executor(model(c, in), 1).run(in);
        double h1 = Math.tanh(0.5 + 0.3);
        double h2 = Math.tanh(1.0 + 0.25 * h1 + 0.3);
        assertArrayEquals(new int[] {2, 1, 1, 1}, out.get("Y").shape());
        assertEquals(h1, out.get("Y").getFloat(0), 1e-6);
        assertEquals(h2, out.get("Y").getFloat(1), 1e-6);
        assertEquals(h2, out.get("Y_h").getFloat(0), 1e-6);
    }

    @Test
    void halfAndDoubleFollowTheFloatComputation() {
        for (DType dt : new DType[] {DType.FLOAT16, DType.DOUBLE}) {
            Case f = new Case("GRU");
            f.initialH = true;
            Case h = new Case("GRU");
            h.initialH = true;
            h.dtype = dt;
            Map<String, Tensor> expected = kiln(f);
            Map<String, Tensor> actual = kiln(h);
            for (String name : expected.keySet()) {
                assertEquals(dt, actual.get(name).dtype());
                double err = Tolerance.rangeRelativeError(expected.get(name), actual.get(name));
                assertTrue(err < (dt == DType.DOUBLE ? 1e-6 : 1e-2), dt + " " + name + ": " + err);
            }
        }
    }

    @Test
    void inferredShapesFollowLayoutAndDirections() {
        Case c = new Case("LSTM");
        c.direction = "bidirectional";
        c.layout = 1;
        Model m = model(c, inputs(c));
        TypeInference.run(m);
        Node n = m.graph().nodes().get(0);
        assertEquals(TensorType.of(DType.FLOAT, 3, 5, 2, 6), n.output(0).type());
        assertEquals(TensorType.of(DType.FLOAT, 3, 2, 6), n.output(1).type());
        assertEquals(TensorType.of(DType.FLOAT, 3, 2, 6), n.output(2).type());
    }

    @Test
    void badAttributesAndShapesAreReported() {
        Case dir = new Case("RNN");
        dir.direction = "sideways";
        KilnException e = assertThrows(KilnException.class, () -> kiln(dir));
        assertTrue(e.getMessage().contains("direction must be forward, reverse or bidirectional"), e.getMessage());

        Case acts = new Case("LSTM").set(Attribute.strings("activations", List.of("Sigmoid", "Tanh")));
        e = assertThrows(KilnException.class, () -> kiln(acts));
        assertTrue(e.getMessage().contains("activations should list 3 functions"), e.getMessage());

        Case unknown = new Case("GRU").set(Attribute.strings("activations", List.of("Sigmoid", "Swish")));
        e = assertThrows(KilnException.class, () -> kiln(unknown));
        assertTrue(e.getMessage().contains("unknown activation 'Swish'"), e.getMessage());

        Case lens = new Case("GRU");
        lens.lengths = true;
        lens.lengthValues = new int[] {1, 9, 2};
        e = assertThrows(KilnException.class, () -> kiln(lens));
        assertTrue(e.getMessage().contains("sequence_lens[1] is 9"), e.getMessage());

        Case w = new Case("LSTM");
        Map<String, Tensor> in = inputs(w);
        in.put("W", TestTensors.normal(3, 1, 20, 4));
        e = assertThrows(KilnException.class, () -> new Executor(model(w, in), 1).run(in));
        assertTrue(e.getMessage().contains("W must have shape [1, 24, 4], found [1, 20, 4]"), e.getMessage());
        assertTrue(e.getMessage().startsWith("node 'rnn' (LSTM)"), e.getMessage());
    }

    @Test
    void activationListsAreConsumedInOrder() {
        // LeakyRelu takes the first alpha, HardSigmoid the second alpha and the first beta
        Case c = new Case("LSTM").set(Attribute.strings("activations", List.of("LeakyRelu", "HardSigmoid", "Tanh")))
                .set(Attribute.of("activation_alpha", new float[] {0.5f, 0.25f}))
                .set(Attribute.of("activation_beta", new float[] {0.75f}));
        Model m = model(c, inputs(c));
        OpContext ctx = new OpContext(m.graph().nodes().get(0), 14, null, null);
        RecurrentMath.Activation[][] a = RecurrentMath.parse(ctx, 1, List.of("Sigmoid", "Tanh", "Tanh"), false);
        assertEquals("[LEAKYRELU(0.5, 0.0), HARDSIGMOID(0.25, 0.75), TANH(0.0, 0.0)]", Arrays.toString(a[0]));
    }
}
