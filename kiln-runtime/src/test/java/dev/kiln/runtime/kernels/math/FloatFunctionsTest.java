package dev.kiln.runtime.kernels.math;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The array functions (Vector API when enabled) against their scalar reference bit for bit, at
 * awkward lengths and offsets, and the reference against double precision. Run at every vector
 * width by the build.
 */
class FloatFunctionsTest {
    private static final int[] SIZES = {1, 3, 7, 15, 16, 17, 63, 65, 1023};

    private static float[] inputs(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 40 - 20);
        }
        return x;
    }

    /** Values that exercise the clamps, the rounding shifter's edges and the special cases. */
    private static final float[] SPECIAL = {0f, -0f, 1e-30f, -1e-30f, 0.5f, -0.5f, 0.34657359f, -0.34657359f,
        87.3f, 88f, 88.5f, 100f, 1e30f, -87.3f, -88f, -89f, -100f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE};

    @Test
    void arraysEqualScalarReference() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : SIZES) {
            float[] x = inputs(r, n + 3);
            float[] a = new float[n + 2];
            float[] b = new float[n + 2];
            FloatFunctions.sigmoid(x, 3, a, 2, n);
            FloatFunctions.sigmoidScalar(x, 3, b, 2, n);
            for (int i = 0; i < n + 2; i++) {
                assertEquals(Float.floatToIntBits(b[i]), Float.floatToIntBits(a[i]), "sigmoid n=" + n + " i=" + i);
            }
            FloatFunctions.erf(x, 3, a, 2, n);
            FloatFunctions.erfScalar(x, 3, b, 2, n);
            for (int i = 0; i < n + 2; i++) {
                assertEquals(Float.floatToIntBits(b[i]), Float.floatToIntBits(a[i]), "erf n=" + n + " i=" + i);
            }
            FloatFunctions.silu(x, 3, a, 2, n);
            FloatFunctions.siluScalar(x, 3, b, 2, n);
            for (int i = 0; i < n + 2; i++) {
                assertEquals(Float.floatToIntBits(b[i]), Float.floatToIntBits(a[i]), "silu n=" + n + " i=" + i);
            }
        }
        float[] s = new float[64];
        for (int i = 0; i < s.length; i++) {
            s[i] = SPECIAL[i % SPECIAL.length];
        }
        float[] a = new float[s.length];
        float[] b = new float[s.length];
        FloatFunctions.silu(s, 0, a, 0, s.length);
        FloatFunctions.siluScalar(s, 0, b, 0, s.length);
        for (int i = 0; i < s.length; i++) {
            assertEquals(Float.floatToIntBits(b[i]), Float.floatToIntBits(a[i]), "silu(" + s[i] + ")");
        }
        FloatFunctions.erf(s, 0, a, 0, s.length);
        FloatFunctions.erfScalar(s, 0, b, 0, s.length);
        for (int i = 0; i < s.length; i++) {
            assertEquals(Float.floatToIntBits(b[i]), Float.floatToIntBits(a[i]), "erf(" + s[i] + ")");
        }
    }

    /** erf in double: 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1*3*...*(2n+1)), all terms positive. */
    private static double erf(double x) {
        double a = Math.abs(x);
        if (a > 6) {
            return Math.signum(x);
        }
        double term = a;
        double sum = a;
        for (int n = 1; n < 200; n++) {
            term *= 2 * a * a / (2 * n + 1);
            sum += term;
        }
        return Math.copySign(Math.min(1, 2 / Math.sqrt(Math.PI) * Math.exp(-a * a) * sum), x);
    }

    @Test
    void referenceIsAccurate() {
        SplittableRandom r = new SplittableRandom(6);
        for (int i = 0; i < 200_000; i++) {
            float x = (float) (r.nextDouble() * 174 - 87);
            double e = Math.exp(x);
            assertEquals(e, FloatFunctions.exp(x), 2 * Math.ulp((float) e), "exp(" + x + ")");
            double s = 1 / (1 + Math.exp(-(double) x));
            assertEquals(s, FloatFunctions.sigmoid(x), 3 * Math.ulp((float) s) + 1e-38, "sigmoid(" + x + ")");
        }
        for (int i = 0; i < 200_000; i++) {
            float x = (float) (r.nextDouble() * 10 - 5);
            double e = erf(x);
            assertEquals(e, FloatFunctions.erf(x), 2 * Math.ulp((float) e), "erf(" + x + ")");
        }
        for (float x : new float[] {0.921875f, Math.nextDown(0.921875f), 3.925f, Math.nextDown(3.925f), 1e-20f, 1e-40f}) {
            assertEquals(erf(x), FloatFunctions.erf(x), 2 * Math.ulp((float) erf(x)), "erf(" + x + ")");
            assertEquals(-FloatFunctions.erf(x), FloatFunctions.erf(-x), "odd at " + x);
        }
        assertEquals(1f, FloatFunctions.erf(Float.POSITIVE_INFINITY));
        assertEquals(-1f, FloatFunctions.erf(-100f));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(FloatFunctions.erf(-0f)));
        assertTrue(Float.isNaN(FloatFunctions.erf(Float.NaN)));
        assertEquals(1f, FloatFunctions.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0.5f, FloatFunctions.sigmoid(0f));
        assertTrue(FloatFunctions.sigmoid(Float.NEGATIVE_INFINITY) < 1e-37f);
        assertTrue(Float.isNaN(FloatFunctions.sigmoid(Float.NaN)));
        assertTrue(Float.isNaN(FloatFunctions.exp(Float.NaN)));
    }
}
