package dev.kiln.core.io.caffe;

import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the layer tests share: seeded inputs, Input layers in prototxt, and the comparison with a reference loop. */
final class CaffeRef {
    /** A converted layer against a double-precision loop written from Caffe's definition: relative to max(|ref|, 1). */
    static final double RTOL = 1e-5;

    private CaffeRef() {
    }

    /** Uniform values in [lo, hi) from a seed. */
    static Tensor random(long seed, float lo, float hi, int... shape) {
        Random r = new Random(seed);
        float[] d = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < d.length; i++) {
            d[i] = lo + (hi - lo) * r.nextFloat();
        }
        return Tensor.of(d, shape);
    }

    /** Uniform values in [-1, 1). */
    static Tensor random(long seed, int... shape) {
        return random(seed, -1f, 1f, shape);
    }

    /** An Input layer declaring one blob. */
    static String input(String name, int... shape) {
        StringBuilder b = new StringBuilder("layer { name: \"" + name + "\" type: \"Input\" top: \"" + name
                + "\" input_param { shape {");
        for (int d : shape) {
            b.append(" dim: ").append(d);
        }
        return b.append(" } } }\n").toString();
    }

    static void assertClose(double[] expected, int[] shape, Tensor actual) {
        assertArrayEquals(shape, actual.shape(), "shape");
        float[] a = actual.floats();
        for (int i = 0; i < expected.length; i++) {
            double tol = RTOL * Math.max(Math.abs(expected[i]), 1.0);
            int at = i;
            assertTrue(Math.abs(a[i] - expected[i]) <= tol,
                    () -> "element " + at + ": expected " + expected[at] + ", found " + a[at]);
        }
    }

    static void assertClose(Tensor expected, Tensor actual) {
        double[] e = new double[expected.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = expected.getDouble(i);
        }
        assertClose(e, expected.shape(), actual);
    }
}
