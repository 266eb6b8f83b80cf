package dev.kiln.core.quant;

import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The parameters march limits are stated in, read from a node of the optimized model: spatial
 * kernel size (from the weight's shape for convolutions, kernel_shape for pooling), strides,
 * dilations, channels and shapes. Unknown values are null (a limit on an unknown value does not
 * apply).
 */
final class NodeGeometry {
    private NodeGeometry() {
    }

    /** The shape of a value, or null when its rank or any dim is unknown. */
    static int[] shape(Value v) {
        if (v == null || !v.type().hasRank()) {
            return null;
        }
        int[] s = v.type().shapeOrUnknown();
        if (s == null) {
            return null;
        }
        for (int d : s) {
            if (d < 0) {
                return null;
            }
        }
        return s;
    }

    static int[] inputShape(Node n, int i) {
        return i < n.inputCount() ? shape(n.input(i)) : null;
    }

    static int[] outputShape(Node n) {
        return n.outputs().isEmpty() ? null : shape(n.output(0));
    }

    /** The dims of a shape from index {@code from} on, or null when unknown or too short. */
    static int[] tail(int[] shape, int from) {
        return shape == null || shape.length <= from ? null : Arrays.copyOfRange(shape, from, shape.length);
    }

    /** Spatial kernel dims: the weight's trailing dims for Conv/ConvTranspose, else kernel_shape. */
    static int[] kernel(Node n) {
        if (n.opType().equals("Conv") || n.opType().equals("ConvTranspose")) {
            int[] w = tail(inputShape(n, 1), 2);
            if (w != null) {
                return w;
            }
        }
        long[] k = n.attrs().getInts("kernel_shape", null);
        return k == null ? null : toInts(k);
    }

    static int[] strides(Node n) {
        return ints(n, "strides");
    }

    static int[] dilations(Node n) {
        return ints(n, "dilations");
    }

    /** An attribute with one value per spatial dim, 1 by default; null when the kernel is unknown. */
    private static int[] ints(Node n, String attr) {
        long[] v = n.attrs().getInts(attr, null);
        if (v != null) {
            return toInts(v);
        }
        int[] k = kernel(n);
        if (k == null) {
            return null;
        }
        int[] ones = new int[k.length];
        Arrays.fill(ones, 1);
        return ones;
    }

    /** Dim 1 (channels) of a shape, or -1. */
    static int channels(int[] shape) {
        return shape != null && shape.length >= 2 ? shape[1] : -1;
    }

    static long product(int[] v) {
        long p = 1;
        for (int x : v) {
            p *= x;
        }
        return p;
    }

    static int max(int[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    static int min(int[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    /** "9x9". */
    static String dims(int[] v) {
        return Arrays.stream(v).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }

    /** "7x7" for a limit on a kernel of the given rank. */
    static String square(int value, int rank) {
        int[] v = new int[Math.max(1, rank)];
        Arrays.fill(v, value);
        return dims(v);
    }

    static boolean isPowerOfTwo(int v) {
        return v > 0 && (v & (v - 1)) == 0;
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }
}
