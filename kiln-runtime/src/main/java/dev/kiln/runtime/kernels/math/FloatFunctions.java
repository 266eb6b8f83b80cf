package dev.kiln.runtime.kernels.math;

import dev.kiln.runtime.kernels.Simd;

/**
 * Transcendental functions in float32 over arrays: sigmoid, x * sigmoid(x) (SiLU / Swish), erf.
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

    /** erf below this magnitude: x + x * Q(x^2); above, 1 - exp(R(|x|)) up to ERF_ONE. */
    static final float ERF_SPLIT = 0.921875f;
    /** erf(x) rounds to 1 in float32 from here on. */
    static final float ERF_ONE = 3.925f;
    static final float Q0 = 0.12837915122509003f;
    static final float Q1 = -0.37612491846084595f;
    static final float Q2 = 0.1128179281949997f;
    static final float Q3 = -0.026765862479805946f;
    static final float Q4 = 0.004992182366549969f;
    static final float Q5 = -0.0005986209725961089f;
    static final float R0 = 0.0003109390090685338f;
    static final float R1 = -1.1302002668380737f;
    static final float R2 = -0.6318756341934204f;
    static final float R3 = -0.11004018783569336f;
    static final float R4 = 0.026402316987514496f;
    static final float R5 = -0.004754326306283474f;
    static final float R6 = 0.0005959688569419086f;
    static final float R7 = -4.5992717787157744e-05f;
    static final float R8 = 1.6355465959350113e-06f;

    private FloatFunctions() {
    }

    /**
     * The error function in float32, about 1 ulp: below 0.921875 in magnitude x + x * Q(x^2), Q a
     * degree-5 least-squares fit of erf(x)/x - 1; up to 3.925, 1 - exp(R(|x|)), R a degree-8 fit of
     * log(erfc); beyond, +-1. Coefficients fitted in double on Chebyshev nodes.
     */
    public static float erf(float x) {
        float a = Math.abs(x);
        if (a < ERF_SPLIT) {
            float t = x * x;
            float q = Math.fma(Q5, t, Q4);
            q = Math.fma(q, t, Q3);
            q = Math.fma(q, t, Q2);
            q = Math.fma(q, t, Q1);
            q = Math.fma(q, t, Q0);
            return Math.fma(x, q, x);
        }
        if (a >= ERF_ONE) {
            return Math.copySign(1f, x);
        }
        float r = Math.fma(R8, a, R7);
        r = Math.fma(r, a, R6);
        r = Math.fma(r, a, R5);
        r = Math.fma(r, a, R4);
        r = Math.fma(r, a, R3);
        r = Math.fma(r, a, R2);
        r = Math.fma(r, a, R1);
        r = Math.fma(r, a, R0);
        return Math.copySign(1f - exp(r), x);
    }

    /** out[o + i] = erf(x[xo + i]) for i in [0, n). */
    public static void erf(float[] x, int xo, float[] out, int o, int n) {
        int done = Simd.ENABLED ? FloatFunctionsVector.erf(x, xo, out, o, n) : 0;
        for (int i = done; i < n; i++) {
            out[o + i] = erf(x[xo + i]);
        }
    }

    /** The scalar reference of {@link #erf(float[], int, float[], int, int)}. */
    public static void erfScalar(float[] x, int xo, float[] out, int o, int n) {
        for (int i = 0; i < n; i++) {
            out[o + i] = erf(x[xo + i]);
        }
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
