package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.Movement;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared copy paths against an element-by-element reference, at awkward sizes and on several threads. */
class MovementTest {
    private static final int[] SIZES = {1, 3, 7, 15, 16, 17, 33, 65};
    private static final DType[] TYPES = {DType.FLOAT, DType.FLOAT16, DType.DOUBLE, DType.INT8, DType.INT16,
        DType.INT32, DType.INT64, DType.BOOL};

    /** out[i] = src[offset + Σ i_d * strides[d]], one element at a time. */
    private static Tensor naiveStrided(Tensor src, int offset, int[] shape, int[] strides) {
        Tensor out = Tensor.allocate(src.dtype(), shape);
        int[] c = new int[shape.length];
        for (int i = 0; i < out.size(); i++) {
            int s = offset;
            for (int d = 0; d < shape.length; d++) {
                s += c[d] * strides[d];
            }
            out.copyFrom(src, s, i, 1);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++c[d] < shape[d]) {
                    break;
                }
                c[d] = 0;
            }
        }
        return out;
    }

    @Test
    void transposesMatchTheReferenceAtAwkwardSizes() {
        SplittableRandom r = new SplittableRandom(1);
        for (int trial = 0; trial < 120; trial++) {
            int rank = 2 + r.nextInt(3);
            int[] view = new int[rank];
            for (int d = 0; d < rank; d++) {
                view[d] = SIZES[r.nextInt(SIZES.length)];
            }
            if (Shapes.size(view) > 200_000) {
                continue;
            }
            int[] perm = shuffled(rank, r);
            DType t = TYPES[trial % TYPES.length];
            Tensor x = OpCase.sample(t, trial, view);
            int[] st = Shapes.strides(view);
            int[] shape = new int[rank];
            int[] strides = new int[rank];
            for (int i = 0; i < rank; i++) {
                shape[i] = view[perm[i]];
                strides[i] = st[perm[i]];
            }
            Tensor expected = naiveStrided(x, 0, shape, strides);
            for (Parallel p : new Parallel[] {Parallel.serial(), Parallel.of(3)}) {
                Tensor got = Movement.transpose(x, view, perm, p);
                assertTrue(expected.sameAs(got), () -> t + " " + java.util.Arrays.toString(view) + " perm "
                        + java.util.Arrays.toString(perm));
            }
        }
    }

    @Test
    void stridedViewsWithNegativeAndZeroStrides() {
        SplittableRandom r = new SplittableRandom(2);
        for (int trial = 0; trial < 150; trial++) {
            int rank = 1 + r.nextInt(4);
            int[] in = new int[rank];
            for (int d = 0; d < rank; d++) {
                in[d] = SIZES[r.nextInt(5)];
            }
            int[] st = Shapes.strides(in);
            int[] shape = new int[rank];
            int[] strides = new int[rank];
            int offset = 0;
            for (int d = 0; d < rank; d++) {
                int kind = r.nextInt(4);
                if (kind == 0) {
                    // reversed: start at the end, negative step
                    shape[d] = in[d];
                    strides[d] = -st[d];
                    offset += (in[d] - 1) * st[d];
                } else if (kind == 1) {
                    // broadcast
                    shape[d] = 1 + r.nextInt(5);
                    strides[d] = 0;
                    offset += r.nextInt(in[d]) * st[d];
                } else if (kind == 2) {
                    // every second element from a random start
                    int start = r.nextInt(in[d]);
                    shape[d] = (in[d] - start + 1) / 2;
                    strides[d] = 2 * st[d];
                    offset += start * st[d];
                } else {
                    shape[d] = in[d];
                    strides[d] = st[d];
                }
            }
            DType t = TYPES[trial % TYPES.length];
            Tensor x = OpCase.sample(t, trial, in);
            Tensor expected = naiveStrided(x, offset, shape, strides);
            for (Parallel p : new Parallel[] {Parallel.serial(), Parallel.of(3)}) {
                assertTrue(expected.sameAs(Movement.strided(x, offset, shape, strides, p)), "trial " + trial);
            }
        }
    }

    @Test
    void separableGatherFillsNegativeOffsets() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor fill = Tensor.of(new float[] {-9}, 1);
        int[][] offsets = {{-1, 3, 0}, {2, -1, 0, 1, 2}};
        Tensor out = Movement.gather(x, new int[] {3, 5}, offsets, fill, Parallel.of(2));
        assertArrayEquals(new float[] {-9, -9, -9, -9, -9, 6, -9, 4, 5, 6, 3, -9, 1, 2, 3}, out.floats());
        Tensor zeros = Movement.gather(x.castTo(DType.INT64), new int[] {3, 5}, offsets, null, Parallel.serial());
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 6, 0, 4, 5, 6, 3, 0, 1, 2, 3}, zeros.longs());
    }

    private static int[] shuffled(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
