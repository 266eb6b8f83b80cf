package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Einsum and Det (the linear-algebra ops). */
class EinsumTest {
    private static void check(String eq, int[]... shapes) {
        NormReduceHarness h = NormReduceHarness.op("Einsum", 12).attr("equation", eq);
        for (int i = 0; i < shapes.length; i++) {
            h.input(TestTensors.normal(200 + i, shapes[i]));
        }
        h.assertMatchesOrt();
    }

    @Test
    void commonEquationsMatchOnnxRuntime() {
        check("ij,jk->ik", new int[] {3, 4}, new int[] {4, 5});
        check("ij,jk", new int[] {3, 4}, new int[] {4, 5});
        check("bij,bjk->bik", new int[] {2, 3, 4}, new int[] {2, 4, 5});
        check("bhqd,bhkd->bhqk", new int[] {2, 3, 5, 8}, new int[] {2, 3, 6, 8});
        check("bhqk,bhkd->bhqd", new int[] {2, 3, 5, 6}, new int[] {2, 3, 6, 8});
        check("ij->ji", new int[] {3, 4});
        check("ijk->kji", new int[] {2, 3, 4});
        check("i,j->ij", new int[] {3}, new int[] {4});
        check("i,i", new int[] {5}, new int[] {5});
        check("i,i->", new int[] {5}, new int[] {5});
        check("ii->i", new int[] {4, 4});
        check("ii", new int[] {4, 4});
        check("ij->i", new int[] {3, 4});
        check("ij->", new int[] {3, 4});
        check("ijk->j", new int[] {2, 3, 4});
        check("bij,jk->bik", new int[] {2, 3, 4}, new int[] {4, 5});
        check("ij,ij->ij", new int[] {3, 4}, new int[] {3, 4});
        check("ij,kj->ik", new int[] {3, 4}, new int[] {5, 4});
        check("ij,jk,kl->il", new int[] {2, 3}, new int[] {3, 4}, new int[] {4, 5});
        check("abc,cd,de->abe", new int[] {2, 3, 4}, new int[] {4, 5}, new int[] {5, 2});
        check("ijk,ikl->ijl", new int[] {2, 3, 4}, new int[] {2, 4, 5});
        check("nchw,oc->nohw", new int[] {1, 3, 4, 4}, new int[] {6, 3});
        check("bA,cb->Ac", new int[] {3, 2}, new int[] {4, 3});
    }

    @Test
    void ellipsisAndBroadcasting() {
        check("...ij,...jk->...ik", new int[] {2, 3, 4, 5}, new int[] {2, 3, 5, 2});
        check("...ij,...jk->...ik", new int[] {2, 1, 4, 5}, new int[] {1, 3, 5, 2});
        check("...ii->...i", new int[] {3, 4, 4});
        check("...ij->...ji", new int[] {2, 3, 4});
        check("i...->...", new int[] {3, 2, 4});
        check("...,...->...", new int[] {2, 3}, new int[] {1, 3});
        check("b...,b...->b...", new int[] {2, 3, 4}, new int[] {2, 3, 4});
    }

    @Test
    void ellipsisOfDifferentRanksBroadcastsLikeNumpy() {
        // ONNX's shape inference wants equal ellipsis ranks; Kiln right-aligns them like numpy
        Tensor a = TestTensors.normal(5, 2, 3);
        Tensor b = TestTensors.normal(6, 3);
        Tensor c = NormReduceHarness.op("Einsum", 12).attr("equation", "...,...->...").input(a).input(b).kiln();
        assertArrayEquals(new int[] {2, 3}, c.shape());
        assertEquals(a.getDouble(4) * b.getDouble(1), c.getDouble(4), 1e-6);
    }

    @Test
    void traceAndDiagonalOfHigherRank() {
        check("iji->j", new int[] {3, 4, 3});
        check("bii->b", new int[] {2, 3, 3});
        check("ijij->ij", new int[] {2, 3, 2, 3});
    }

    @Test
    void integerAndDoubleTypes() {
        NormReduceHarness.op("Einsum", 12).attr("equation", "ij,jk->ik")
                .input(TestTensors.integers(1, DType.INT32, -5, 5, 3, 4))
                .input(TestTensors.integers(2, DType.INT32, -5, 5, 4, 2)).assertMatchesOrt();
        NormReduceHarness.op("Einsum", 12).attr("equation", "bij,bjk->bik")
                .input(TestTensors.normal(3, 2, 3, 4).castTo(DType.DOUBLE))
                .input(TestTensors.normal(4, 2, 4, 2).castTo(DType.DOUBLE)).assertMatchesOrt();
    }

    @Test
    void handComputedMatmul() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new float[] {5, 6, 7, 8}, 2, 2);
        Tensor c = NormReduceHarness.op("Einsum", 12).attr("equation", "ij,jk->ik").input(a).input(b).kiln();
        assertArrayEquals(new float[] {19, 22, 43, 50}, c.floats());
        Tensor t = NormReduceHarness.op("Einsum", 12).attr("equation", "ii").input(a).kiln();
        assertEquals(0, t.rank());
        assertEquals(5f, t.floats()[0]);
    }

    @Test
    void implicitOutputOrdersLabelsLikeNumpy() {
        // free labels A and c: numpy sorts by character, so the output is "Ac" of shape [2, 4]
        Tensor a = TestTensors.normal(7, 3, 2);
        Tensor b = TestTensors.normal(8, 4, 3);
        Tensor implicit = NormReduceHarness.op("Einsum", 12).attr("equation", "bA,cb").input(a).input(b).kiln();
        Tensor explicit = NormReduceHarness.op("Einsum", 12).attr("equation", "bA,cb->Ac").input(a).input(b).kiln();
        assertArrayEquals(new int[] {2, 4}, implicit.shape());
        assertTrue(implicit.sameAs(explicit));
    }

    @Test
    void badEquationsAreReported() {
        Tensor a = TestTensors.normal(1, 2, 3);
        KilnException e = assertThrows(KilnException.class,
                () -> NormReduceHarness.op("Einsum", 12).attr("equation", "ijk->i").input(a).kiln());
        assertTrue(e.getMessage().contains("does not match input 0 of rank 2"), e.getMessage());
        e = assertThrows(KilnException.class,
                () -> NormReduceHarness.op("Einsum", 12).attr("equation", "ij,jk->ik").input(a).kiln());
        assertTrue(e.getMessage().contains("2 terms but the node has 1 inputs"), e.getMessage());
        e = assertThrows(KilnException.class,
                () -> NormReduceHarness.op("Einsum", 12).attr("equation", "ij->iz").input(a).kiln());
        assertTrue(e.getMessage().contains("does not appear in any input"), e.getMessage());
        e = assertThrows(KilnException.class,
                () -> NormReduceHarness.op("Einsum", 12).attr("equation", "b...->b").input(a).kiln());
        assertTrue(e.getMessage().contains("no '...'"), e.getMessage());
        e = assertThrows(KilnException.class, () -> NormReduceHarness.op("Einsum", 12).attr("equation", "ij,jk")
                .input(a).input(TestTensors.normal(2, 4, 2)).kiln());
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void detMatchesOnnxRuntime() {
        NormReduceHarness.op("Det", 11).input(TestTensors.normal(210, 3, 3)).assertMatchesOrt();
        NormReduceHarness.op("Det", 11).input(TestTensors.normal(211, 2, 4, 5, 5)).assertMatchesOrt();
        NormReduceHarness.op("Det", 11).input(TestTensors.normal(212, 4, 1, 1)).assertMatchesOrt();
        // ONNX Runtime has float Det only: compare double with the float result
        Tensor f = TestTensors.normal(213, 2, 6, 6);
        Tensor fd = NormReduceHarness.op("Det", 11).input(f).kiln();
        Tensor dd = NormReduceHarness.op("Det", 11).input(f.castTo(DType.DOUBLE)).kiln();
        assertEquals(DType.DOUBLE, dd.dtype());
        assertEquals(fd.getDouble(1), dd.getDouble(1), 1e-5 * Math.abs(fd.getDouble(1)));
        Tensor singular = Tensor.of(new float[] {1, 2, 2, 4}, 2, 2);
        assertEquals(0f, NormReduceHarness.op("Det", 11).input(singular).kiln().floats()[0]);
        Tensor swap = Tensor.of(new float[] {0, 1, 1, 0}, 2, 2);
        assertEquals(-1f, NormReduceHarness.op("Det", 11).input(swap).kiln().floats()[0]);
    }
}
