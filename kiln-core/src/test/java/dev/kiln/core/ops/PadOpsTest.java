package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.TensorType;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PadOpsTest {
    private static final Tensor X = Tensor.of(new float[] {1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f}, 3, 2);

    private static float[] pad(String mode, long... pads) {
        return OpCase.of("Pad", 13).input(X).constant(Tensor.vector(pads)).attr("mode", mode).kiln()[0].floats();
    }

    @Test
    void handComputedModes() {
        // the ONNX operator documentation's examples: two columns added before each row
        assertArrayEquals(new float[] {0, 0, 1.0f, 1.2f, 0, 0, 2.3f, 3.4f, 0, 0, 4.5f, 5.7f},
                pad("constant", 0, 2, 0, 0));
        assertArrayEquals(new float[] {1.0f, 1.2f, 1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f},
                pad("reflect", 0, 2, 0, 0));
        assertArrayEquals(new float[] {1.0f, 1.0f, 1.0f, 1.2f, 2.3f, 2.3f, 2.3f, 3.4f, 4.5f, 4.5f, 4.5f, 5.7f},
                pad("edge", 0, 2, 0, 0));
        // negative pads crop: drop the first row and the last column
        assertArrayEquals(new float[] {2.3f, 4.5f}, pad("constant", -1, 0, 0, -1));
    }

    @Test
    void constantValueAndModesMatchOnnxRuntime() throws Exception {
        Tensor x = OpCase.sample(DType.FLOAT, 3, 2, 3, 5, 4);
        long[][] padSets = {{0, 0, 1, 1, 0, 0, 1, 1}, {0, 1, 2, 0, 1, 0, 0, 3}, {0, 0, -1, 2, 0, 0, 2, -1},
            {1, 0, 0, 0, 0, 2, 0, 0}};
        for (String mode : new String[] {"constant", "reflect", "edge"}) {
            for (long[] pads : padSets) {
                OpCase.of("Pad", 11).input(x).constant(Tensor.vector(pads)).constant(Tensor.scalar(-2.5f))
                        .attr("mode", mode).matchesOrt();
                OpCase.of("Pad", 2).input(x).ints("pads", pads).attr("value", 1.5f).attr("mode", mode).matchesOrt();
                OpCase.of("Pad", 13).input(x).input(Tensor.vector(pads)).attr("mode", mode).matchesOrt();
            }
        }
    }

    @Test
    void wrapModeAtOpset19MatchesOnnxRuntime() throws Exception {
        Tensor x = OpCase.sample(DType.FLOAT, 4, 3, 4, 5);
        OpCase.of("Pad", 19).input(x).constant(Tensor.vector(0, 2, 1, 1, 3, 2)).attr("mode", "wrap").matchesOrt();
        OpCase.of("Pad", 19).input(x).constant(Tensor.vector(0, -1, 2, 0, 2, -1)).attr("mode", "wrap").matchesOrt();
    }

    @Test
    void axesInputOfOpset18PadsOnlyTheListedAxes() throws Exception {
        Tensor x = OpCase.sample(DType.FLOAT, 5, 2, 3, 4);
        Tensor[] out = OpCase.of("Pad", 18).input(x).constant(Tensor.vector(1, 2, 3, 0)).constant(Tensor.scalar(9f))
                .constant(Tensor.vector(-1, 1)).attr("mode", "constant").matchesOrt();
        assertArrayEquals(new int[] {2, 5, 8}, out[0].shape());
        OpCase.of("Pad", 18).input(x).constant(Tensor.vector(1, 1)).omitted().constant(Tensor.vector(0))
                .attr("mode", "edge").matchesOrt();
    }

    @Test
    void everyOrtElementTypeMatches() throws Exception {
        for (DType t : new DType[] {DType.FLOAT, DType.DOUBLE, DType.INT8, DType.UINT8, DType.INT32, DType.INT64,
            DType.BOOL}) {
            Tensor x = OpCase.sample(t, 6, 3, 4);
            Tensor value = OpCase.sample(t, 7, 1).reshape();
            OpCase.of("Pad", 18).input(x).constant(Tensor.vector(1, 0, 2, 3)).constant(value).matchesOrt();
            if (t != DType.BOOL) {
                OpCase.of("Pad", 18).input(x).constant(Tensor.vector(1, 2, 2, 1)).attr("mode", "reflect").matchesOrt();
            }
        }
    }

    @Test
    void halfAndUnsignedTypesKeepTheirValues() {
        Tensor h = Tensor.fromDoubles(DType.FLOAT16, new double[] {1.5, -2.25}, 2);
        Tensor out = OpCase.of("Pad", 13).input(h).constant(Tensor.vector(1, 1))
                .constant(Tensor.fromDoubles(DType.FLOAT16, new double[] {0.5}, 1)).kiln()[0];
        assertEquals(DType.FLOAT16, out.dtype());
        assertArrayEquals(new float[] {0.5f, 1.5f, -2.25f, 0.5f}, out.floats());
        Tensor u = Tensor.fromDoubles(DType.UINT32, new double[] {4e9, 7}, 2);
        Tensor uo = OpCase.of("Pad", 13).input(u).constant(Tensor.vector(0, 2)).attr("mode", "edge").kiln()[0];
        assertEquals(4e9, uo.getDouble(0));
        assertEquals(7, uo.getLong(3));
    }

    @Test
    void emptyInputsPadWithTheConstantAndRejectOtherModes() throws Exception {
        Tensor empty = Tensor.allocate(DType.FLOAT, 0, 2);
        Tensor[] out = OpCase.of("Pad", 13).input(empty).constant(Tensor.vector(1, 1, 1, 1))
                .constant(Tensor.scalar(7f)).matchesOrt();
        assertArrayEquals(new int[] {2, 4}, out[0].shape());
        KilnException e = assertThrows(KilnException.class, () -> OpCase.of("Pad", 13).input(empty)
                .constant(Tensor.vector(1, 1, 1, 1)).attr("mode", "edge").kiln());
        assertTrue(e.getMessage().contains("empty dimension"), e.getMessage());
    }

    @Test
    void reflectBeyondOneEdgeKeepsReflecting() {
        // numpy's reflect: [1 2 3] padded by 3 and 4 -> 2 3 2 | 1 2 3 | 2 1 2 3
        Tensor out = OpCase.of("Pad", 13).input(Tensor.of(new float[] {1, 2, 3}, 3)).constant(Tensor.vector(3, 4))
                .attr("mode", "reflect").kiln()[0];
        assertArrayEquals(new float[] {2, 3, 2, 1, 2, 3, 2, 1, 2, 3}, out.floats());
    }

    @Test
    void inferenceIsExactForConstantPadsAndKnowsTheRankOtherwise() {
        TensorType t = OpCase.of("Pad", 13).input(OpCase.sample(DType.FLOAT, 1, 1, 3, 8, 8))
                .constant(Tensor.vector(0, 0, 1, 2, 0, 0, 3, -1)).inferred()[0];
        assertTrue(t.isStatic());
        assertArrayEquals(new int[] {1, 3, 12, 9}, t.shape());
        TensorType dyn = OpCase.of("Pad", 13).input(OpCase.sample(DType.FLOAT, 1, 1, 3, 8, 8))
                .input(Tensor.vector(0, 0, 1, 2, 0, 0, 3, -1)).inferred()[0];
        assertEquals(4, dyn.rank());
        assertFalse(dyn.isStatic());
    }

    @Test
    void badArgumentsNameWhatWasExpected() {
        KilnException e = assertThrows(KilnException.class, () -> OpCase.of("Pad", 13)
                .input(OpCase.sample(DType.FLOAT, 1, 2, 2)).constant(Tensor.vector(1, 1)).kiln());
        assertTrue(e.getMessage().contains("expected 4"), e.getMessage());
        e = assertThrows(KilnException.class, () -> OpCase.of("Pad", 18)
                .input(OpCase.sample(DType.FLOAT, 1, 2, 2)).constant(Tensor.vector(1, 1, 1, 1)).attr("mode", "wrap").kiln());
        assertTrue(e.getMessage().contains("opset 19"), e.getMessage());
        e = assertThrows(KilnException.class, () -> OpCase.of("Pad", 13)
                .input(OpCase.sample(DType.FLOAT, 1, 2, 2)).constant(Tensor.vector(1, 1, 1, 1)).attr("mode", "mirror").kiln());
        assertTrue(e.getMessage().contains("'mirror'"), e.getMessage());
    }

    @Test
    void cnnSizedPaddingIsTheSameOnOneAndFourThreads() throws Exception {
        Tensor x = OpCase.sample(DType.FLOAT, 9, 1, 64, 56, 56);
        OpCase c = OpCase.of("Pad", 13).input(x).constant(Tensor.vector(0, 0, 1, 1, 0, 0, 1, 1));
        Tensor[] ort = c.ort();
        assertNull(OpCase.EXACT.mismatch(ort[0], c.kiln(1)[0]));
        assertNull(OpCase.EXACT.mismatch(ort[0], c.kiln(4)[0]));
        OpCase r = OpCase.of("Pad", 13).input(x).constant(Tensor.vector(0, 0, 2, 3, 0, 0, 3, 2)).attr("mode", "reflect");
        assertNull(OpCase.EXACT.mismatch(r.ort()[0], r.kiln(4)[0]));
    }
}
