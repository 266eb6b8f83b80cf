package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Argument handling shared by the shape operators: axes and index lists read from attributes or
 * tensors, normalized against a rank, with messages that say what was expected and found.
 */
public final class ShapeArgs {
    private ShapeArgs() {
    }

    /** The values of a 1-D (or scalar) integer tensor as longs; fails for non-integer types. */
    public static long[] longs(Tensor t, String what) {
        DType d = t.dtype();
        if (!d.isInteger()) {
            throw new IllegalArgumentException(what + " must be an integer tensor, found " + d);
        }
        return t.toLongArray();
    }

    /** Normalizes one possibly negative axis into [0, rank). */
    public static int axis(long axis, int rank, String what) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(what + " " + axis + " is out of range for rank " + rank
                    + " (expected " + -rank + " to " + (rank - 1) + ")");
        }
        return (int) a;
    }

    /** Normalizes a list of axes into [0, rank); fails on duplicates. */
    public static int[] axes(long[] axes, int rank, String what) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[Math.max(rank, 0)];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(axes[i], rank, what);
            if (seen[out[i]]) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(axes) + " repeat axis " + out[i]);
            }
            seen[out[i]] = true;
        }
        return out;
    }

    /** A non-negative size that must fit an int (a tensor dimension). */
    public static int dimSize(long v, String what) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " " + v + " is not a valid dimension");
        }
        return (int) v;
    }

    /** A shape given as a 1-D integer tensor (Expand, ConstantOfShape): every entry a valid dimension. */
    public static int[] shape(Tensor t) {
        long[] v = longs(t, "shape");
        int[] s = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = dimSize(v[i], "shape entry");
        }
        return s;
    }

    /** Product of shape[from, to), or -1 when any of those dims is unknown. */
    public static long knownProduct(int[] shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            if (shape[i] < 0) {
                return -1;
            }
            p *= shape[i];
        }
        return p;
    }

    /** True when every dim is known. */
    public static boolean isStatic(int[] shape) {
        if (shape == null) {
            return false;
        }
        for (int d : shape) {
            if (d < 0) {
                return false;
            }
        }
        return true;
    }

    /** Reads an index with ONNX's negative-index rule; fails outside [-dim, dim). */
    public static int index(long v, int dim, String what) {
        long i = v < 0 ? v + dim : v;
        if (i < 0 || i >= dim) {
            throw new IllegalArgumentException(what + " " + v + " is out of range for a dimension of " + dim
                    + " (expected " + -dim + " to " + (dim - 1) + ")");
        }
        return (int) i;
    }

    /** A one-element tensor (scalar or [1]) of any numeric type, read as a double. */
    public static Tensor requireSingle(Tensor t, String what) {
        if (t.size() != 1) {
            throw new IllegalArgumentException(what + " must have exactly one element, found shape "
                    + Arrays.toString(t.shape()));
        }
        return t;
    }
}
