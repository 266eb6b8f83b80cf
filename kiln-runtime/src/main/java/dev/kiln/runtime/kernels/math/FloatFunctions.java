package dev.kiln.runtime.kernels.math;

import dev.kiln.runtime.kernels.Simd;

/**
 * Transcendental activations in float32 over arrays: sigmoid and x * sigmoid(x) (SiLU / Swish).
 * exp is Cephes' expf: n = round(x / ln 2) by the 1.5 * 2^23 shifter, r = x - n ln 2 in two
 * parts, a degree-6 polynomial for e^r, then 2^n from the exponent bits; about 1 ulp, with the
 * argument clamped to [-87.3, 88] (so the result never overflows to infinity nor underflows below
 * the smallest normal float, which the sigmoid's 1 / (1 + e^-x) does not notice).
 *
 * <p>The scalar loops here are the reference; the Vector API loops (chosen by {@link Simd}) run
 * the same operations in the same order, fused multiply-adds included, so both give the same bits.
 */
public final class FloatFunctions {
    static final float EXP_LO = -87.33654f;
    static final float EXP_HI = 88.0f;
    static final float LOG2E = 1.44269504088896341f;
    static final float SHIFTER = 0x1.8p23f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;

    private FloatFunctions() {
    }

    /** e^x for x clamped to [-87.3, 88], about 1 ulp. */
    public static float exp(float x) {
        float v = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float j = Math.fma(v, LOG2E, SHIFTER);
        float n = j - SHIFTER;
        int ni = Float.floatToRawIntBits(j) - Float.floatToRawIntBits(SHIFTER);
        float r = Math.fma(-n, LN2_HI, v);
        r = Math.fma(-n, LN2_LO, r);
        float p = Math.fma(P0, r, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float e = Math.fma(p, r * r, r) + 1f;
        return e * Float.intBitsToFloat((ni + 127) << 23);
    }

    /** 1 / (1 + e^-x). */
    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    /** out[o + i] = sigmoid(x[xo + i]) for i in [0, n). */
    public static void sigmoid(float[] x, int xo, float[] out, int o, int n) {
        int done = Simd.ENABLED ? FloatFunctionsVector.sigmoid(x, xo, out, o, n) : 0;
        for (int i = done; i < n; i++) {
            out[o + i] = sigmoid(x[xo + i]);
        }
    }

    /** out[o + i] = x * sigmoid(x) for x = x[xo + i], i in [0, n): SiLU, Sigmoid then Mul in one pass. */
    public static void silu(float[] x, int xo, float[] out, int o, int n) {
        int done = Simd.ENABLED ? FloatFunctionsVector.silu(x, xo, out, o, n) : 0;
        for (int i = done; i < n; i++) {
            float v = x[xo + i];
            out[o + i] = v * sigmoid(v);
        }
    }

    /** The scalar reference of {@link #sigmoid(float[], int, float[], int, int)}. */
    public static void sigmoidScalar(float[] x, int xo, float[] out, int o, int n) {
        for (int i = 0; i < n; i++) {
            out[o + i] = sigmoid(x[xo + i]);
        }
    }

    /** The scalar reference of {@link #silu}. */
    public static void siluScalar(float[] x, int xo, float[] out, int o, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xo + i];
            out[o + i] = v * sigmoid(v);
        }
    }
}
