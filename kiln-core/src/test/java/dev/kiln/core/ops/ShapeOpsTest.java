package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.core.KilnException;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shape, Size, Reshape, Flatten, Squeeze, Unsqueeze, ConstantOfShape, Range, EyeLike. */
class ShapeOpsTest {
    private static final Tensor X = OpCase.sample(DType.FLOAT, 1, 2, 3, 4);

    @Test
    void shapeWithStartAndEndOfOpset15() throws Exception {
        long[][] ranges = {{0, 3}, {1, 3}, {-1, 3}, {0, -1}, {-5, 10}, {2, 1}, {1, 2}};
        for (long[] r : ranges) {
            OpCase c = OpCase.of("Shape", 15).input(X).attr("start", r[0]).attr("end", r[1]);
            c.matchesOrt();
        }
        assertArrayEquals(new long[] {3, 4}, OpCase.of("Shape", 15).input(X).attr("start", -2L).kiln()[0].longs());
        // before opset 15 the attributes do not exist
        assertArrayEquals(new long[] {2, 3, 4}, OpCase.of("Shape", 13).input(X).attr("start", 1L).kiln()[0].longs());
    }

    @Test
    void shapeIsConstantWhenTheDimsAreKnownAndNotOtherwise() {
        Model m = OpCase.of("Shape", 15).input(X).attr("start", 1L).model();
        Map<Value, Tensor> constants = TypeInference.run(m);
        Tensor c = constants.get(m.graph().outputs().get(0));
        assertNotNull(c, "Shape of a static input must be a constant");
        assertArrayEquals(new long[] {3, 4}, c.longs());
        Model d = OpCase.of("Shape", 13).dynamicInput(X).model();
        assertNull(TypeInference.run(d).get(d.graph().outputs().get(0)));
        assertEquals(TensorType.of(DType.INT64, 3), d.graph().outputs().get(0).type());
    }

    @Test
    void sizeOfEveryTypeAndOfEmptyTensors() throws Exception {
        for (DType t : OpCase.ORT_TYPES) {
            OpCase.of("Size", 13).input(OpCase.sample(t, 2, 3, 5)).matchesOrt();
        }
        assertEquals(0, OpCase.of("Size", 13).input(Tensor.allocate(DType.FLOAT, 4, 0)).kiln()[0].getLong(0));
    }

    @Test
    void reshapeSpecialValuesMatchOnnxRuntime() throws Exception {
        long[][] specs = {{4, 6}, {0, -1}, {-1}, {2, 0, 2, 2}, {0, 0, 4}, {1, -1, 1, 4}, {24}};
        for (long[] s : specs) {
            OpCase.of("Reshape", 13).input(X).constant(Tensor.vector(s)).matchesOrt();
            OpCase.of("Reshape", 5).input(X).input(Tensor.vector(s)).matchesOrt();
        }
        // allowzero: 0 is an empty dim, not a copy
        Tensor empty = Tensor.allocate(DType.FLOAT, 0, 3);
        Tensor[] out = OpCase.of("Reshape", 14).input(empty).constant(Tensor.vector(3, 0)).attr("allowzero", 1L).matchesOrt();
        assertArrayEquals(new int[] {3, 0}, out[0].shape());
    }

    @Test
    void reshapeSharesTheDataAndKeepsEveryType() {
        for (DType t : DType.values()) {
            if (t == DType.STRING) {
                continue;
            }
            Tensor x = OpCase.sample(t, 4, 2, 6);
            Tensor y = OpCase.of("Reshape", 13).input(x).constant(Tensor.vector(3, -1)).kiln()[0];
            assertArrayEquals(new int[] {3, 4}, y.shape());
            assertTrue(y.sameAs(x.reshape(3, 4)), t.toString());
        }
        Tensor x = OpCase.sample(DType.FLOAT, 5, 2, 6);
        Kernel k = new Reshape().prepare(new OpContext(OpCase.of("Reshape", 13).input(x).input(Tensor.vector(12))
                .model().graph().nodes().get(0), 13, null, null));
        assertSame(x.data(), k.run(new Tensor[] {x, Tensor.vector(12)}, null)[0].data());
    }

    @Test
    void reshapeErrorsSayWhatIsWrong() {
        KilnException e = assertThrows(KilnException.class,
                () -> OpCase.of("Reshape", 13).input(X).constant(Tensor.vector(-1, -1)).kiln());
        assertTrue(e.getMessage().contains("more than one -1"), e.getMessage());
        e = assertThrows(KilnException.class, () -> OpCase.of("Reshape", 13).input(X).constant(Tensor.vector(5, -1)).kiln());
        assertTrue(e.getMessage().contains("cannot reshape"), e.getMessage());
        e = assertThrows(KilnException.class,
                () -> OpCase.of("Reshape", 14).input(X).constant(Tensor.vector(0, -1)).attr("allowzero", 1L).kiln());
        assertTrue(e.getMessage().contains("allowzero"), e.getMessage());
    }

    @Test
    void reshapeInferenceKeepsCopiedSymbolicDims() {
        Graph g = new Graph("sym");
        Value x = g.addInput("x", new TensorType(DType.FLOAT, new Dim[] {Dim.symbol("N"), Dim.of(3), Dim.of(4)}));
        Value s = g.addInitializer("s", new ConstTensor(Tensor.vector(0, 12)));
        Node n = g.addNode("r", "Reshape", "", new Attributes(), List.of(x, s), List.of("y"));
        g.addOutput(n.output(0));
        Model m = new Model(g);
        m.opsets().put("", 13L);
        TypeInference.run(m);
        TensorType t = n.output(0).type();
        assertEquals("N", t.dim(0).param());
        assertEquals(12, t.dim(1).value());
    }

    @Test
    void minusOneIsInferredWhenOnlyCopiedDimsAreUnknown() {
        TensorType t = OpCase.of("Reshape", 13).dynamicInput(X).constant(Tensor.vector(0, -1)).inferred()[0];
        assertEquals(2, t.rank());
        assertFalse(t.dim(1).isKnown(), "dims 1 and 2 of the input are unknown too");
        Graph g = new Graph("partial");
        Value x = g.addInput("x", new TensorType(DType.FLOAT, new Dim[] {Dim.symbol("N"), Dim.of(3), Dim.of(4), Dim.of(5)}));
        Value s = g.addInitializer("s", new ConstTensor(Tensor.vector(0, 3, -1)));
        Node n = g.addNode("r", "Reshape", "", new Attributes(), List.of(x, s), List.of("y"));
        Node f = g.addNode("f", "Flatten", "", new Attributes(), List.of(x), List.of("z"));
        g.addOutput(n.output(0));
        g.addOutput(f.output(0));
        Model m = new Model(g);
        m.opsets().put("", 13L);
        TypeInference.run(m);
        assertEquals("N", n.output(0).type().dim(0).param());
        assertEquals(20, n.output(0).type().dim(2).value());
        assertEquals("N", f.output(0).type().dim(0).param());
        assertEquals(60, f.output(0).type().dim(1).value());
    }

    @Test
    void flattenAtEveryAxis() throws Exception {
        for (long axis = -3; axis <= 3; axis++) {
            OpCase.of("Flatten", 13).input(X).attr("axis", axis).matchesOrt();
        }
        OpCase.of("Flatten", 9).input(OpCase.sample(DType.INT64, 3, 2, 3)).matchesOrt();
        assertThrows(KilnException.class, () -> OpCase.of("Flatten", 13).input(X).attr("axis", 4L).kiln());
    }

    @Test
    void squeezeAndUnsqueezeWithAttributesAndInputs() throws Exception {
        Tensor x = OpCase.sample(DType.FLOAT, 6, 1, 3, 1, 2);
        OpCase.of("Squeeze", 11).input(x).ints("axes", 0L, -2L).matchesOrt();
        OpCase.of("Squeeze", 11).input(x).matchesOrt();
        OpCase.of("Squeeze", 13).input(x).constant(Tensor.vector(2)).matchesOrt();
        OpCase.of("Squeeze", 13).input(x).matchesOrt();
        OpCase.of("Squeeze", 13).input(x).input(Tensor.vector(-4)).matchesOrt();
        OpCase.of("Unsqueeze", 11).input(x).ints("axes", 0L, 5L).matchesOrt();
        OpCase.of("Unsqueeze", 13).input(x).constant(Tensor.vector(-1, 1)).matchesOrt();
        OpCase.of("Unsqueeze", 13).input(Tensor.scalar(3f)).input(Tensor.vector(0)).matchesOrt();
        for (DType t : OpCase.ORT_TYPES) {
            OpCase.of("Unsqueeze", 13).input(OpCase.sample(t, 7, 2)).constant(Tensor.vector(1)).matchesOrt();
            OpCase.of("Squeeze", 13).input(OpCase.sample(t, 7, 2, 1)).matchesOrt();
        }
        KilnException e = assertThrows(KilnException.class,
                () -> OpCase.of("Squeeze", 13).input(x).constant(Tensor.vector(1)).kiln());
        assertTrue(e.getMessage().contains("size 3"), e.getMessage());
    }

    @Test
    void squeezeWithoutAxesOnUnknownDimsLeavesTheRankUnknown() {
        TensorType t = OpCase.of("Squeeze", 13).dynamicInput(X).inferred()[0];
        assertFalse(t.hasRank());
        TensorType u = OpCase.of("Unsqueeze", 13).dynamicInput(X).constant(Tensor.vector(0)).inferred()[0];
        assertEquals(4, u.rank());
        assertEquals(1, u.dim(0).value());
    }

    @Test
    void constantOfShapeValuesAndTypes() throws Exception {
        OpCase.of("ConstantOfShape", 9).input(Tensor.vector(2, 3)).matchesOrt();
        OpCase.of("ConstantOfShape", 9).input(Tensor.vector(2, 0)).attr("value", Tensor.ofInts(new int[] {4}, 1)).matchesOrt();
        OpCase.of("ConstantOfShape", 20).input(Tensor.vector()).attr("value", Tensor.ofLongs(new long[] {-7}, 1)).matchesOrt();
        OpCase.of("ConstantOfShape", 9).input(Tensor.vector(3)).attr("value", Tensor.ofDoubles(new double[] {2.5}, 1)).matchesOrt();
        Tensor h = OpCase.of("ConstantOfShape", 21).constant(Tensor.vector(2, 2))
                .attr("value", Tensor.fromDoubles(DType.FLOAT16, new double[] {0.1}, 1)).kiln()[0];
        assertEquals(DType.FLOAT16, h.dtype());
        assertEquals(h.floats()[0], h.floats()[3]);
        TensorType t = OpCase.of("ConstantOfShape", 9).constant(Tensor.vector(4, 5)).inferred()[0];
        assertArrayEquals(new int[] {4, 5}, t.shape());
    }

    @Test
    void rangeAccumulatesAsOnnxRuntimeDoes() throws Exception {
        OpCase.of("Range", 11).input(Tensor.scalar(0.1f)).input(Tensor.scalar(7.3f)).input(Tensor.scalar(0.1f)).matchesOrt();
        OpCase.of("Range", 11).input(Tensor.scalar(5f)).input(Tensor.scalar(-3f)).input(Tensor.scalar(-0.7f)).matchesOrt();
        OpCase.of("Range", 11).input(Tensor.scalar(5f)).input(Tensor.scalar(5f)).input(Tensor.scalar(1f)).matchesOrt();
        OpCase.of("Range", 11).input(Tensor.ofDoubles(new double[] {0.3}))
                .input(Tensor.ofDoubles(new double[] {2.0})).input(Tensor.ofDoubles(new double[] {0.17})).matchesOrt();
        OpCase.of("Range", 11).input(Tensor.scalarLong(10)).input(Tensor.scalarLong(-7)).input(Tensor.scalarLong(-3)).matchesOrt();
        OpCase.of("Range", 11).input(Tensor.ofInts(new int[] {1})).input(Tensor.ofInts(new int[] {20}))
                .input(Tensor.ofInts(new int[] {4})).matchesOrt();
        KilnException e = assertThrows(KilnException.class, () -> OpCase.of("Range", 11).input(Tensor.scalarLong(0))
                .input(Tensor.scalarLong(3)).input(Tensor.scalarLong(0)).kiln());
        assertTrue(e.getMessage().contains("delta"), e.getMessage());
    }

    @Test
    void eyeLikeDiagonalsAndTypes() throws Exception {
        for (long k : new long[] {-4, -1, 0, 2, 5}) {
            OpCase.of("EyeLike", 9).input(OpCase.sample(DType.FLOAT, 1, 3, 5)).attr("k", k).matchesOrt();
        }
        OpCase.of("EyeLike", 9).input(OpCase.sample(DType.FLOAT, 1, 4, 2)).attr("dtype", (long) DType.INT32.onnxCode()).matchesOrt();
        OpCase.of("EyeLike", 21).input(OpCase.sample(DType.INT64, 1, 3, 3)).attr("k", 1L).matchesOrt();
        Tensor b = OpCase.of("EyeLike", 9).input(OpCase.sample(DType.DOUBLE, 1, 2, 3))
                .attr("dtype", (long) DType.BOOL.onnxCode()).attr("k", -1L).kiln()[0];
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0}, b.bytes());
    }

    /**
     * The usual exporter idiom for "flatten all but the batch": Shape → Gather(0) → Unsqueeze →
     * Concat with [-1] → Reshape. With a static input every value on the way folds, so the
     * output shape is exact; checked at opset 11 (Unsqueeze axes attribute) and 13 (axes input).
     */
    @Test
    void shapeGatherUnsqueezeConcatReshapeChainInfersAStaticShape() throws Exception {
        for (int opset : new int[] {11, 13, 18}) {
            Model m = flattenChain(opset);
            TypeInference.run(m);
            TensorType out = m.graph().outputs().get(0).type();
            assertTrue(out.isStatic(), "opset " + opset + ": " + out);
            assertArrayEquals(new int[] {2, 60}, out.shape());
            Tensor x = OpCase.sample(DType.FLOAT, 8, 2, 3, 4, 5);
            Tensor kiln = new Executor(flattenChain(opset), 1).run(Map.of("x", x)).get("y");
            Model forOrt = flattenChain(opset);
            forOrt.graph().outputs().get(0).setType(TensorType.unranked(DType.FLOAT));
            Tensor ort = OrtOracle.run(forOrt, Map.of("x", x)).get("y");
            assertNull(OpCase.EXACT.mismatch(ort, kiln));
        }
    }

    private static Model flattenChain(int opset) {
        Graph g = new Graph("chain");
        Value x = g.addInput("x", TensorType.of(DType.FLOAT, 2, 3, 4, 5));
        Node shape = g.addNode("shape", "Shape", "", new Attributes(), List.of(x), List.of("s"));
        Value zero = g.addInitializer("zero", new ConstTensor(Tensor.scalarLong(0)));
        Node gather = g.addNode("gather", "Gather", "", attrs(Attribute.of("axis", 0L)),
                List.of(shape.output(0), zero), List.of("n"));
        Node unsq;
        if (opset < 13) {
            unsq = g.addNode("unsq", "Unsqueeze", "", attrs(Attribute.of("axes", new long[] {0})),
                    List.of(gather.output(0)), List.of("n1"));
        } else {
            Value axes = g.addInitializer("axes", new ConstTensor(Tensor.vector(0)));
            unsq = g.addNode("unsq", "Unsqueeze", "", new Attributes(), List.of(gather.output(0), axes), List.of("n1"));
        }
        Value minus = g.addInitializer("minus", new ConstTensor(Tensor.vector(-1)));
        Node concat = g.addNode("concat", "Concat", "", attrs(Attribute.of("axis", 0L)),
                List.of(unsq.output(0), minus), List.of("spec"));
        Node reshape = g.addNode("reshape", "Reshape", "", new Attributes(), List.of(x, concat.output(0)), List.of("y"));
        g.addOutput(reshape.output(0));
        Model m = new Model(g);
        m.opsets().put("", (long) opset);
        return m;
    }

    private static Attributes attrs(Attribute... list) {
        Attributes a = new Attributes();
        Arrays.stream(list).forEach(a::put);
        return a;
    }
}
