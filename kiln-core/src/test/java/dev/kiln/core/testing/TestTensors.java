package dev.kiln.core.testing;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.SplittableRandom;

/** Seeded random tensors for tests. */
public final class TestTensors {
    private TestTensors() {
    }

    /** Uniform floats in [lo, hi). */
    public static Tensor uniform(long seed, float lo, float hi, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.allocate(DType.FLOAT, shape);
        float[] f = t.floats();
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return t;
    }

    /** Standard normal floats. */
    public static Tensor normal(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.allocate(DType.FLOAT, shape);
        float[] f = t.floats();
        for (int i = 0; i < f.length; i += 2) {
            double u1 = Math.max(1e-12, r.nextDouble());
            double u2 = r.nextDouble();
            double m = Math.sqrt(-2 * Math.log(u1));
            f[i] = (float) (m * Math.cos(2 * Math.PI * u2));
            if (i + 1 < f.length) {
                f[i + 1] = (float) (m * Math.sin(2 * Math.PI * u2));
            }
        }
        return t;
    }

    /** Uniform integers in [lo, hi] of the given integer type. */
    public static Tensor integers(long seed, DType dtype, long lo, long hi, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.allocate(dtype, shape);
        for (int i = 0; i < t.size(); i++) {
            t.setLong(i, lo + r.nextLong(hi - lo + 1));
        }
        return t;
    }
}
