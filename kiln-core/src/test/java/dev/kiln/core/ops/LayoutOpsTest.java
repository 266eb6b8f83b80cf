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

/** Transpose, DepthToSpace, SpaceToDepth, Slice, Concat, Split, Expand, Tile. */
class LayoutOpsTest {
    private static final long INT64_MAX = Long.MAX_VALUE;

    @Test
    void transposeEveryPermutationOfA4dTensor() throws Exception {
        Tensor x = OpCase.sample(DType.FLOAT, 1, 2, 3, 4, 5);
        int[] p = {0, 1, 2, 3};
        do {
            OpCase.of("Transpose", 13).input(x).ints("perm", (long) p[0], p[1], p[2], p[3]).matchesOrt();
        } while (nextPermutation(p));
        OpCase.of("Transpose", 13).input(x).matchesOrt();
    }

    @Test
    void transposeOfEveryTypeAndOfEmptyTensors() throws Exception {
        for (DType t : OpCase.ORT_TYPES) {
            OpCase.of("Transpose", 13).input(OpCase.sample(t, 2, 3, 1, 4, 2)).ints("perm", 3L, 0L, 2L, 1L).matchesOrt();
        }
        Tensor[] out = OpCase.of("Transpose", 13).input(Tensor.allocate(DType.FLOAT, 2, 0, 3)).ints("perm", 2L, 0L, 1L).matchesOrt();
        assertArrayEquals(new int[] {3, 2, 0}, out[0].shape());
        OpCase.of("Transpose", 13).input(Tensor.scalar(4f)).matchesOrt();
        KilnException e = assertThrows(KilnException.class,
                () -> OpCase.of("Transpose", 13).input(OpCase.sample(DType.FLOAT, 1, 2, 3)).ints("perm", 0L, 0L).kiln());
        assertTrue(e.getMessage().contains("perm"), e.getMessage());
    }

    @Test
    void cnnLayoutChangesOnFourThreadsMatchOnnxRuntime() throws Exception {
        Tensor nchw = OpCase.sample(DType.FLOAT, 3, 1, 256, 56, 56);
        OpCase toNhwc = OpCase.of("Transpose", 13).input(nchw).ints("perm", 0L, 2L, 3L, 1L);
        Tensor ort = toNhwc.ort()[0];
        assertNull(OpCase.EXACT.mismatch(ort, toNhwc.kiln(4)[0]));
        OpCase back = OpCase.of("Transpose", 13).input(ort).ints("perm", 0L, 3L, 1L, 2L);
        assertNull(OpCase.EXACT.mismatch(nchw, back.kiln(4)[0]));
        // an odd-sized batch of channel-last images, and a 5-D permutation
        OpCase.of("Transpose", 13).input(OpCase.sample(DType.FLOAT, 4, 3, 17, 33, 7)).ints("perm", 0L, 3L, 1L, 2L).matchesOrt();
        OpCase.of("Transpose", 13).input(OpCase.sample(DType.FLOAT, 5, 2, 9, 5, 8, 3)).ints("perm", 4L, 1L, 3L, 0L, 2L).matchesOrt();
    }

    @Test
    void depthToSpaceAndSpaceToDepthBothModes() throws Exception {
        Tensor x = OpCase.sample(DType.FLOAT, 6, 2, 18, 3, 5);
        OpCase.of("DepthToSpace", 13).input(x).attr("blocksize", 3L).matchesOrt();
        OpCase.of("DepthToSpace", 13).input(x).attr("blocksize", 3L).attr("mode", "CRD").matchesOrt();
        OpCase.of("DepthToSpace", 1).input(x).attr("blocksize", 3L).matchesOrt();
        Tensor y = OpCase.sample(DType.FLOAT, 7, 2, 3, 6, 4);
        OpCase.of("SpaceToDepth", 13).input(y).attr("blocksize", 2L).matchesOrt();
        // SpaceToDepth undoes DCR DepthToSpace
        Tensor d = OpCase.of("DepthToSpace", 13).input(x).attr("blocksize", 3L).kiln()[0];
        Tensor back = OpCase.of("SpaceToDepth", 13).input(d).attr("blocksize", 3L).kiln()[0];
        assertTrue(back.sameAs(x));
        Tensor h = OpCase.sample(DType.FLOAT16, 8, 1, 4, 2, 2);
        Tensor hd = OpCase.of("DepthToSpace", 13).input(h).attr("blocksize", 2L).kiln()[0];
        Tensor fd = OpCase.of("DepthToSpace", 13).input(h.castTo(DType.FLOAT)).attr("blocksize", 2L).kiln()[0];
        assertTrue(hd.castTo(DType.FLOAT).sameAs(fd));
        KilnException e = assertThrows(KilnException.class,
                () -> OpCase.of("DepthToSpace", 13).input(OpCase.sample(DType.FLOAT, 1, 1, 6, 2, 2)).attr("blocksize", 2L).kiln());
        assertTrue(e.getMessage().contains("multiple of"), e.getMessage());
    }

    @Test
    void sliceClampingStepsAndNegativeIndices() throws Exception {
        Tensor x = OpCase.sample(DType.FLOAT, 9, 6, 7, 5);
        long[][][] cases = {
            {{1, 0}, {4, INT64_MAX}, {0, 2}, {1, 2}},
            {{-1}, {-INT64_MAX}, {1}, {-1}},
            {{-2, 10}, {-8, -100}, {-2, 0}, {-2, -3}},
            {{0, 0, 0}, {INT64_MAX, INT64_MAX, INT64_MAX}, {2, 1, 0}, {3, 4, 5}},
            {{5}, {2}, {0}, {1}},
            {{100}, {200}, {1}, {1}},
            {{-100}, {2}, {-1}, {1}},
            {{4}, {-100}, {0}, {-2}},
        };
        for (long[][] c : cases) {
            OpCase.of("Slice", 13).input(x).constant(Tensor.vector(c[0])).constant(Tensor.vector(c[1]))
                    .constant(Tensor.vector(c[2])).constant(Tensor.vector(c[3])).matchesOrt();
            OpCase.of("Slice", 10).input(x).input(Tensor.vector(c[0])).input(Tensor.vector(c[1]))
                    .input(Tensor.vector(c[2])).input(Tensor.vector(c[3])).matchesOrt();
        }
        // default axes and steps
        OpCase.of("Slice", 13).input(x).constant(Tensor.vector(1, -3)).constant(Tensor.vector(5, -1)).matchesOrt();
        OpCase.of("Slice", 13).input(x).constant(Tensor.vector(1)).constant(Tensor.vector(3)).omitted()
                .constant(Tensor.vector(2)).matchesOrt();
    }

    @Test
    void sliceOfOpset1TakesAttributes() throws Exception {
        Tensor x = OpCase.sample(DType.FLOAT, 10, 4, 6);
        OpCase.of("Slice", 1).input(x).ints("starts", 1L, -4L).ints("ends", 3L, INT64_MAX).matchesOrt();
        OpCase.of("Slice", 9).input(x).ints("starts", 2L).ints("ends", -1L).ints("axes", -1L).matchesOrt();
        KilnException e = assertThrows(KilnException.class, () -> OpCase.of("Slice", 9).input(x).ints("starts", 2L).kiln());
        assertTrue(e.getMessage().contains("starts and ends"), e.getMessage());
    }

    @Test
    void sliceOfEveryTypeAndInference() throws Exception {
        for (DType t : OpCase.ORT_TYPES) {
            OpCase.of("Slice", 13).input(OpCase.sample(t, 11, 5, 6)).constant(Tensor.vector(4, 1))
                    .constant(Tensor.vector(0, 6)).constant(Tensor.vector(0, 1)).constant(Tensor.vector(-1, 2)).matchesOrt();
        }
        TensorType t = OpCase.of("Slice", 13).input(OpCase.sample(DType.FLOAT, 1, 8, 9)).constant(Tensor.vector(2))
                .constant(Tensor.vector(INT64_MAX)).constant(Tensor.vector(1)).constant(Tensor.vector(3)).inferred()[0];
        assertArrayEquals(new int[] {8, 3}, t.shape());
        TensorType d = OpCase.of("Slice", 13).input(OpCase.sample(DType.FLOAT, 1, 8, 9)).input(Tensor.vector(2))
                .constant(Tensor.vector(5)).constant(Tensor.vector(1)).inferred()[0];
        assertEquals(8, d.dim(0).value());
        assertFalse(d.dim(1).isKnown());
    }

    @Test
    void cnnSizedSliceAndConcatMatchOnnxRuntime() throws Exception {
        Tensor x = OpCase.sample(DType.FLOAT, 12, 1, 256, 56, 56);
        OpCase half = OpCase.of("Slice", 13).input(x).constant(Tensor.vector(128)).constant(Tensor.vector(256))
                .constant(Tensor.vector(1));
        Tensor ort = half.ort()[0];
        assertNull(OpCase.EXACT.mismatch(ort, half.kiln(4)[0]));
        OpCase crop = OpCase.of("Slice", 13).input(x).constant(Tensor.vector(1, 1)).constant(Tensor.vector(-1, -1))
                .constant(Tensor.vector(2, 3));
        assertNull(OpCase.EXACT.mismatch(crop.ort()[0], crop.kiln(4)[0]));
        OpCase cat = OpCase.of("Concat", 13).input(x).input(ort).attr("axis", 1L);
        assertNull(OpCase.EXACT.mismatch(cat.ort()[0], cat.kiln(4)[0]));
    }

    @Test
    void concatAlongEveryAxisAndType() throws Exception {
        for (long axis = -3; axis < 3; axis++) {
            int a = (int) (axis < 0 ? axis + 3 : axis);
            int[] s1 = {2, 3, 4};
            int[] s2 = s1.clone();
            s2[a] = 1;
            int[] s3 = s1.clone();
            s3[a] = 0;
            OpCase.of("Concat", 13).input(OpCase.sample(DType.FLOAT, 1, s1)).input(OpCase.sample(DType.FLOAT, 2, s2))
                    .input(Tensor.allocate(DType.FLOAT, s3)).input(OpCase.sample(DType.FLOAT, 3, s1)).attr("axis", axis).matchesOrt();
        }
        for (DType t : OpCase.ORT_TYPES) {
            OpCase.of("Concat", 11).input(OpCase.sample(t, 4, 2, 2)).input(OpCase.sample(t, 5, 2, 3)).attr("axis", -1L).matchesOrt();
        }
        KilnException e = assertThrows(KilnException.class, () -> OpCase.of("Concat", 13)
                .input(OpCase.sample(DType.FLOAT, 1, 2, 2)).input(OpCase.sample(DType.FLOAT, 1, 3, 3)).attr("axis", 0L).kiln());
        assertTrue(e.getMessage().contains("dim 1"), e.getMessage());
        e = assertThrows(KilnException.class, () -> OpCase.of("Concat", 13).input(OpCase.sample(DType.FLOAT, 1, 2)).kiln());
        assertTrue(e.getMessage().contains("axis"), e.getMessage());
    }

    @Test
    void concatInferenceSumsKnownDimsAndFillsOthersFromAnyInput() {
        TensorType t = OpCase.of("Concat", 13).dynamicInput(OpCase.sample(DType.FLOAT, 1, 2, 3))
                .input(OpCase.sample(DType.FLOAT, 1, 2, 5)).attr("axis", 1L).inferred()[0];
        assertEquals(2, t.dim(0).value());
        assertFalse(t.dim(1).isKnown());
        TensorType s = OpCase.of("Concat", 13).input(OpCase.sample(DType.FLOAT, 1, 2, 3))
                .input(OpCase.sample(DType.FLOAT, 1, 2, 5)).attr("axis", 1L).inferred()[0];
        assertArrayEquals(new int[] {2, 8}, s.shape());
    }

    @Test
    void splitAcrossOpsets() throws Exception {
        Tensor x = OpCase.sample(DType.FLOAT, 13, 4, 7);
        OpCase.of("Split", 11).input(x).attr("axis", 1L).ints("split", 2L, 0L, 5L).outputs(3).matchesOrt();
        OpCase.of("Split", 11).input(x).outputs(2).matchesOrt();
        OpCase.of("Split", 13).input(x).constant(Tensor.vector(3, 4)).attr("axis", -1L).outputs(2).matchesOrt();
        OpCase.of("Split", 13).input(x).input(Tensor.vector(1, 3)).outputs(2).matchesOrt();
        OpCase.of("Split", 13).input(x).outputs(4).matchesOrt();
        // opset 18: num_outputs, the last chunk smaller
        Tensor[] out = OpCase.of("Split", 18).input(x).attr("axis", 1L).attr("num_outputs", 3L).outputs(3).matchesOrt();
        assertEquals(3, out[0].dim(1));
        assertEquals(1, out[2].dim(1));
        for (DType t : OpCase.ORT_TYPES) {
            OpCase.of("Split", 18).input(OpCase.sample(t, 9, 5, 2)).attr("num_outputs", 2L).outputs(2).matchesOrt();
        }
        TensorType[] types = OpCase.of("Split", 18).input(x).attr("axis", 1L).attr("num_outputs", 2L).outputs(2).inferred();
        assertArrayEquals(new int[] {4, 4}, types[0].shape());
        assertArrayEquals(new int[] {4, 3}, types[1].shape());
        KilnException e = assertThrows(KilnException.class,
                () -> OpCase.of("Split", 13).input(x).constant(Tensor.vector(3, 3)).attr("axis", 1L).outputs(2).kiln());
        assertTrue(e.getMessage().contains("sums to 6"), e.getMessage());
    }

    @Test
    void expandBroadcastsBothWays() throws Exception {
        Tensor x = OpCase.sample(DType.FLOAT, 14, 3, 1);
        long[][] shapes = {{2, 1, 6}, {3, 4}, {1}, {4, 1, 1}, {3, 0}, {2, 3, 1}};
        for (long[] s : shapes) {
            OpCase.of("Expand", 13).input(x).constant(Tensor.vector(s)).matchesOrt();
            OpCase.of("Expand", 8).input(x).input(Tensor.vector(s)).matchesOrt();
        }
        for (DType t : OpCase.ORT_TYPES) {
            OpCase.of("Expand", 13).input(OpCase.sample(t, 15, 1, 3)).constant(Tensor.vector(4, 1, 3)).matchesOrt();
        }
        assertThrows(KilnException.class, () -> OpCase.of("Expand", 13).input(x).constant(Tensor.vector(2, 2)).kiln());
    }

    @Test
    void tileRepeatsEveryDim() throws Exception {
        Tensor x = OpCase.sample(DType.FLOAT, 16, 2, 3, 1);
        OpCase.of("Tile", 13).input(x).constant(Tensor.vector(2, 1, 5)).matchesOrt();
        OpCase.of("Tile", 6).input(x).input(Tensor.vector(1, 3, 2)).matchesOrt();
        OpCase.of("Tile", 13).input(x).constant(Tensor.vector(0, 2, 2)).matchesOrt();
        for (DType t : OpCase.ORT_TYPES) {
            OpCase.of("Tile", 13).input(OpCase.sample(t, 17, 3, 2)).constant(Tensor.vector(2, 3)).matchesOrt();
        }
        TensorType t = OpCase.of("Tile", 13).input(x).constant(Tensor.vector(2, 1, 5)).inferred()[0];
        assertArrayEquals(new int[] {4, 3, 5}, t.shape());
        KilnException e = assertThrows(KilnException.class, () -> OpCase.of("Tile", 13).input(x).input(Tensor.vector(2)).kiln());
        assertTrue(e.getMessage().contains("rank 3"), e.getMessage());
    }

    @Test
    void emptyTensorsMatchOnnxRuntime() throws Exception {
        Tensor empty = Tensor.allocate(DType.FLOAT, 2, 0, 3);
        OpCase.of("Concat", 13).input(empty).input(empty).attr("axis", 1L).matchesOrt();
        OpCase.of("Concat", 13).input(empty).input(empty).attr("axis", 2L).matchesOrt();
        OpCase.of("Split", 13).input(empty).attr("axis", 2L).outputs(3).matchesOrt();
        OpCase.of("Slice", 13).input(empty).constant(Tensor.vector(1)).constant(Tensor.vector(3)).constant(Tensor.vector(2)).matchesOrt();
        OpCase.of("Slice", 13).input(empty).constant(Tensor.vector(-1)).constant(Tensor.vector(-INT64_MAX))
                .constant(Tensor.vector(1)).constant(Tensor.vector(-1)).matchesOrt();
        OpCase.of("Expand", 13).input(empty).constant(Tensor.vector(4, 1, 1, 1)).matchesOrt();
        OpCase.of("Tile", 13).input(empty).constant(Tensor.vector(2, 3, 2)).matchesOrt();
        OpCase.of("DepthToSpace", 13).input(Tensor.allocate(DType.FLOAT, 0, 4, 2, 2)).attr("blocksize", 2L).matchesOrt();
        OpCase.of("SpaceToDepth", 13).input(Tensor.allocate(DType.FLOAT, 1, 2, 0, 2)).attr("blocksize", 2L).matchesOrt();
    }

    private static boolean nextPermutation(int[] p) {
        int i = p.length - 2;
        while (i >= 0 && p[i] >= p[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = p.length - 1;
        while (p[j] <= p[i]) {
            j--;
        }
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
        for (int a = i + 1, b = p.length - 1; a < b; a++, b--) {
            t = p[a];
            p[a] = p[b];
            p[b] = t;
        }
        return true;
    }
}
