package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * The iteration shape shared by every kernel that reduces (or normalizes) over some axes: the
 * Reduce* family, ArgMax/ArgMin, Softmax and the normalizations.
 *
 * <p>A set of reduced axes is brought to the form {@code [outer, reduced, inner]}: element
 * {@code (o, r, i)} lives at {@code (o * reduced + r) * inner + i}, and output element
 * {@code o * inner + i} is the reduction over r. Dimensions of size 1 are ignored; when the reduced
 * axes cannot be merged into one block (e.g. axes 0 and 2 of a 3-D tensor), the input is first
 * permuted so that the kept axes come first and the reduced axes last ({@link #permutation()}).
 */
public final class Reduction {
    private final int[] shape;
    private final int outer;
    private final int count;
    private final int inner;
    private final int[] perm;

    private Reduction(int[] shape, int outer, int count, int inner, int[] perm) {
        this.shape = shape;
        this.outer = outer;
        this.count = count;
        this.inner = inner;
        this.perm = perm;
    }

    /**
     * Normalizes a list of possibly negative axes against a rank into a mask; fails on an axis out
     * of range or listed twice.
     */
    public static boolean[] axesMask(long[] axes, int rank) {
        boolean[] mask = new boolean[rank];
        for (long a : axes) {
            long n = a < 0 ? a + rank : a;
            if (n < 0 || n >= rank) {
                throw new IllegalArgumentException("axis " + a + " is out of range for a tensor of rank " + rank);
            }
            if (mask[(int) n]) {
                throw new IllegalArgumentException("axis " + a + " is listed more than once in " + Arrays.toString(axes));
            }
            mask[(int) n] = true;
        }
        return mask;
    }

    /** A mask with every axis reduced. */
    public static boolean[] allAxes(int rank) {
        boolean[] mask = new boolean[rank];
        Arrays.fill(mask, true);
        return mask;
    }

    /** A mask reducing only {@code axis} (already normalized). */
    public static boolean[] oneAxis(int axis, int rank) {
        boolean[] mask = new boolean[rank];
        mask[axis] = true;
        return mask;
    }

    /** The shape after reducing the masked axes: kept as 1 when keepdims, else dropped. */
    public static int[] reducedShape(int[] shape, boolean[] mask, boolean keepdims) {
        int n = 0;
        for (int i = 0; i < shape.length; i++) {
            if (keepdims || !mask[i]) {
                n++;
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!mask[i]) {
                out[k++] = shape[i];
            } else if (keepdims) {
                out[k++] = 1;
            }
        }
        return out;
    }

    /** Plans the reduction of the masked axes of a tensor of the given shape. */
    static Reduction plan(int[] shape, boolean[] mask) {
        // Classify the non-trivial dimensions: kept before the reduced block, reduced, kept after.
        int state = 0; // 0: leading kept, 1: in the reduced block, 2: trailing kept
        boolean mergeable = true;
        long outer = 1, count = 1, inner = 1;
        for (int i = 0; i < shape.length; i++) {
            int d = shape[i];
            if (mask[i]) {
                count *= d;
            }
            if (d == 1) {
                continue;
            }
            if (mask[i]) {
                if (state == 2) {
                    mergeable = false;
                }
                state = Math.max(state, 1);
            } else {
                if (state == 1) {
                    state = 2;
                }
                if (state == 0) {
                    outer *= d;
                } else {
                    inner *= d;
                }
            }
        }
        if (mergeable) {
            return new Reduction(shape, (int) outer, (int) count, (int) inner, null);
        }
        return permuted(shape, mask);
    }

    private static Reduction permuted(int[] shape, boolean[] mask) {
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (mask[i]) {
                count *= shape[i];
            }
        }
        int[] perm = new int[shape.length];
        int k = 0;
        long kept = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!mask[i]) {
                perm[k++] = i;
                kept *= shape[i];
            }
        }
        for (int i = 0; i < shape.length; i++) {
            if (mask[i]) {
                perm[k++] = i;
            }
        }
        return new Reduction(shape, (int) kept, (int) count, 1, perm);
    }

    /**
     * Like {@link #plan} but always with {@code inner == 1}, so that each output element reduces
     * one contiguous run of the arranged input (permuting when needed). Used by normalizations.
     */
    static Reduction planContiguous(int[] shape, boolean[] mask) {
        Reduction r = plan(shape, mask);
        if (r.inner == 1) {
            return r;
        }
        return permuted(shape, mask);
    }

    /** Plans a reduction along a single (normalized) axis; never needs a permutation. */
    static Reduction alongAxis(int[] shape, int axis) {
        return plan(shape, oneAxis(axis, shape.length));
    }

    /** Product of the kept dimensions before the reduced block (all kept dims when permuted). */
    int outer() {
        return outer;
    }

    /** Number of elements reduced into each output element. */
    int count() {
        return count;
    }

    /** Product of the kept dimensions after the reduced block (1 when permuted). */
    int inner() {
        return inner;
    }

    /** Number of output elements: {@code outer * inner}. */
    int outputSize() {
        return outer * inner;
    }

    /** The permutation applied to the input before reducing, or null when none is needed. */
    int[] permutation() {
        return perm;
    }

    /** The input in the {@code [outer, reduced, inner]} layout (permuted when needed). */
    Tensor arrange(Tensor x) {
        return perm == null ? x : permute(x, perm);
    }

    /**
     * Brings a tensor laid out as the arranged input (same element count as the input) back to the
     * input's axis order. Used by normalizations that write one value per input element.
     */
    Tensor restore(Tensor arranged) {
        if (perm == null) {
            return arranged;
        }
        int[] permShape = new int[shape.length];
        for (int i = 0; i < perm.length; i++) {
            permShape[i] = shape[perm[i]];
        }
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[perm[i]] = i;
        }
        return permute(arranged.reshape(permShape), inverse);
    }

    /** Transposes: output axis i is input axis perm[i]. */
    static Tensor permute(Tensor x, int[] perm) {
        int[] s = x.shape();
        int rank = s.length;
        int[] outShape = new int[rank];
        int[] st = Shapes.strides(s);
        int[] srcStride = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = s[perm[i]];
            srcStride[i] = st[perm[i]];
        }
        int n = x.size();
        int[] index = new int[n];
        if (n > 0) {
            int[] counter = new int[rank];
            int src = 0;
            for (int i = 0; i < n; i++) {
                index[i] = src;
                for (int d = rank - 1; d >= 0; d--) {
                    counter[d]++;
                    src += srcStride[d];
                    if (counter[d] < outShape[d]) {
                        break;
                    }
                    src -= srcStride[d] * counter[d];
                    counter[d] = 0;
                }
            }
        }
        return x.gather(index, outShape);
    }
}
