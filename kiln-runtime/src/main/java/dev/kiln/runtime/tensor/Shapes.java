package dev.kiln.runtime.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by kernels: element counts, strides, broadcasting, axis normalization. */
public final class Shapes {
    private Shapes() {
    }

    public static final int[] SCALAR = new int[0];

    /** Number of elements; fails when the count does not fit a Java array. */
    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape)
                        + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }

    /** Row-major strides in elements. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Product of dims in [from, to). */
    public static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }

    /** Normalizes a possibly negative axis into [0, rank); throws with a readable message when out of range. */
    public static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1)) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    /** Numpy broadcast of partially known shapes (-1 = unknown dim); null when any rank is unknown. */
    public static int[] broadcastPartial(int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) {
            if (s == null) {
                return null;
            }
            rank = Math.max(rank, s.length);
        }
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int known = 1;
            boolean unknown = false;
            for (int[] s : shapes) {
                int j = i - (rank - s.length);
                if (j < 0) {
                    continue;
                }
                int d = s[j];
                if (d < 0) {
                    unknown = true;
                } else if (d != 1) {
                    if (known != 1 && known != d) {
                        throw new IllegalArgumentException("shapes cannot be broadcast together (dimension "
                                + known + " vs " + d + ")");
                    }
                    known = d;
                }
            }
            out[i] = known != 1 ? known : (unknown ? -1 : 1);
        }
        return out;
    }

    /** Numpy-style multidirectional broadcast of two shapes. */
    public static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot be broadcast together");
            }
        }
        return out;
    }

    /** Broadcast of several shapes. */
    public static int[] broadcast(int[]... shapes) {
        int[] out = SCALAR;
        for (int[] s : shapes) {
            out = broadcast(out, s);
        }
        return out;
    }

    /**
     * Strides that read {@code shape} as if broadcast to {@code target}: 0 on broadcast dimensions.
     * The returned array has target's rank.
     */
    public static int[] broadcastStrides(int[] shape, int[] target) {
        int[] st = strides(shape);
        int[] out = new int[target.length];
        int off = target.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            out[i + off] = shape[i] == 1 && target[i + off] != 1 ? 0 : st[i];
        }
        return out;
    }

    /**
     * Source index of every element of {@code target} when broadcasting a tensor of {@code shape}
     * to it. Used by data-movement kernels that need an explicit gather map.
     */
    public static int[] broadcastIndex(int[] shape, int[] target) {
        int n = size(target);
        int[] idx = new int[n];
        if (Arrays.equals(shape, target)) {
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            return idx;
        }
        int[] bs = broadcastStrides(shape, target);
        int rank = target.length;
        int[] counter = new int[rank];
        int src = 0;
        for (int i = 0; i < n; i++) {
            idx[i] = src;
            for (int d = rank - 1; d >= 0; d--) {
                counter[d]++;
                src += bs[d];
                if (counter[d] < target[d]) {
                    break;
                }
                src -= bs[d] * counter[d];
                counter[d] = 0;
            }
        }
        return idx;
    }

    public static String toString(int[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(']').toString();
    }

    public static int[] toIntShape(long[] dims) {
        int[] s = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("dimension " + dims[i] + " is out of range");
            }
            s[i] = (int) dims[i];
        }
        return s;
    }
}
