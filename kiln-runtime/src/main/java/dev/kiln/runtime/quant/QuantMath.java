package dev.kiln.runtime.quant;

import dev.kiln.runtime.kernels.Simd;

/**
 * The one place for quantization arithmetic (SPEC section 8): rounding, saturation, quantize and
 * dequantize, requantization of integer accumulators and int8 lookup tables. The quantized ONNX
 * operators, the quantizer and the {@code .bin} runtime all call these methods, so they agree bit
 * for bit.
 *
 * <h2>What ONNX Runtime computes, and therefore what this class computes</h2>
 *
 * <ul>
 *   <li><b>Quantize</b> ({@code QuantizeLinear} on float32, MLAS {@code MlasQuantizeLinear}):
 *       {@code v = x / scale} divided in float32 (a true division, not a multiplication by the
 *       reciprocal), clamped to {@code [lo - zp, hi - zp]}, rounded half to even
 *       ({@code cvtps2dq} under the default rounding mode), then {@code zp} added. Clamping before
 *       rounding equals rounding before clamping because the bounds are integers. Special values
 *       follow the SSE/AVX {@code maxps/minps} rules ORT relies on: NaN becomes {@code lo}, +inf
 *       becomes {@code hi}, -inf becomes {@code lo}.</li>
 *   <li><b>Dequantize</b> ({@code DequantizeLinear}): {@code (float) (q - zp) * scale} in float32;
 *       for int32 inputs the conversion to float rounds to nearest even (2^24 + 1 becomes 2^24).</li>
 *   <li><b>Requantize</b> (MLAS {@code MlasRequantizeOutput} and the fused QLinearConv kernels):
 *       {@code clamp(round_half_to_even((float) acc * M) + zp, lo, hi)} in float32, with
 *       {@code M = (s_x * s_w) / s_y} also computed in float32, multiplication first.</li>
 * </ul>
 *
 * <p>Rounding is {@link Math#rint}, which rounds half to even: 0.5 → 0, 1.5 → 2, 2.5 → 2,
 * -0.5 → -0, -2.5 → -2.
 */
public final class QuantMath {
    public static final int INT8_MIN = -128;
    public static final int INT8_MAX = 127;
    public static final int UINT8_MIN = 0;
    public static final int UINT8_MAX = 255;
    public static final int INT16_MIN = -32768;
    public static final int INT16_MAX = 32767;
    public static final int UINT16_MIN = 0;
    public static final int UINT16_MAX = 65535;

    private QuantMath() {
    }

    /** A float function for building lookup tables (the same float32 math the float kernel does). */
    @FunctionalInterface
    public interface FloatFunction {
        float apply(float x);
    }

    // ---- rounding and saturation -------------------------------------------------------------

    /** Rounds to the nearest integer, ties to even (exact: every float result is representable). */
    public static float roundHalfToEven(float x) {
        return (float) Math.rint(x);
    }

    /** Rounds to the nearest integer, ties to even. */
    public static double roundHalfToEven(double x) {
        return Math.rint(x);
    }

    /** Clamps v into [lo, hi]. */
    public static int saturate(long v, int lo, int hi) {
        return v < lo ? lo : (v > hi ? hi : (int) v);
    }

    public static int saturateInt8(long v) {
        return saturate(v, INT8_MIN, INT8_MAX);
    }

    public static int saturateUint8(long v) {
        return saturate(v, UINT8_MIN, UINT8_MAX);
    }

    public static int saturateInt16(long v) {
        return saturate(v, INT16_MIN, INT16_MAX);
    }

    public static int saturateUint16(long v) {
        return saturate(v, UINT16_MIN, UINT16_MAX);
    }

    public static int saturateInt32(long v) {
        return saturate(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /**
     * The last step shared by quantize and requantize: v is the value already divided by the scale
     * (or multiplied by the requantization multiplier); clamps it to the zero-point-shifted range
     * (NaN to the lower bound), rounds half to even and adds the zero point.
     */
    private static int saturateScaled(float v, int zeroPoint, int lo, int hi) {
        float min = lo - zeroPoint;
        float max = hi - zeroPoint;
        if (!(v >= min)) {
            v = min;
        } else if (v > max) {
            v = max;
        }
        return (int) Math.rint(v) + zeroPoint;
    }

    // ---- one value ---------------------------------------------------------------------------

    /** {@code clamp(round_half_to_even(x / scale) + zeroPoint, lo, hi)}, divided in float32. */
    public static int quantize(float x, float scale, int zeroPoint, int lo, int hi) {
        return saturateScaled(x / scale, zeroPoint, lo, hi);
    }

    /**
     * The double version, for inputs that are not float32 (int32 and double values, as the ONNX
     * reference divides them in float64). NaN becomes lo, infinities saturate.
     */
    public static int quantize(double x, double scale, int zeroPoint, int lo, int hi) {
        double v = x / scale;
        double min = (double) lo - zeroPoint;
        double max = (double) hi - zeroPoint;
        if (!(v >= min)) {
            v = min;
        } else if (v > max) {
            v = max;
        }
        return (int) Math.rint(v) + zeroPoint;
    }

    /** {@code (float) (q - zeroPoint) * scale} in float32. */
    public static float dequantize(long q, long zeroPoint, float scale) {
        return (float) (q - zeroPoint) * scale;
    }

    // ---- arrays ------------------------------------------------------------------------------

    /** Quantizes n floats into 8-bit storage (int8 or uint8 by lo/hi); Vector API loop when enabled. */
    public static void quantize(float[] src, int srcPos, byte[] dst, int dstPos, int n,
                                float scale, int zeroPoint, int lo, int hi) {
        boolean shifterExact = Math.abs(lo - zeroPoint) < 1 << 22 && Math.abs(hi - zeroPoint) < 1 << 22;
        int done = Simd.ENABLED && IntBinaryVector.USABLE && shifterExact
                ? QuantMathVector.quantize(src, srcPos, dst, dstPos, n, scale, zeroPoint, lo, hi) : 0;
        quantizeScalar(src, srcPos + done, dst, dstPos + done, n - done, scale, zeroPoint, lo, hi);
    }

    /** The scalar reference of {@link #quantize(float[], int, byte[], int, int, float, int, int, int)}. */
    public static void quantizeScalar(float[] src, int srcPos, byte[] dst, int dstPos, int n,
                                      float scale, int zeroPoint, int lo, int hi) {
        for (int i = 0; i < n; i++) {
            dst[dstPos + i] = (byte) saturateScaled(src[srcPos + i] / scale, zeroPoint, lo, hi);
        }
    }

    /** Quantizes n floats into 16-bit storage (int16 or uint16 by lo/hi). */
    public static void quantize(float[] src, int srcPos, short[] dst, int dstPos, int n,
                                float scale, int zeroPoint, int lo, int hi) {
        for (int i = 0; i < n; i++) {
            dst[dstPos + i] = (short) saturateScaled(src[srcPos + i] / scale, zeroPoint, lo, hi);
        }
    }

    /**
     * Per-axis quantization of a tensor viewed as [outer, channels, inner]: channel c uses
     * scales[c] and zeroPoints[c] (zeroPoints may be null for all zero).
     */
    public static void quantizePerAxis(float[] src, byte[] dst, int outer, int channels, int inner,
                                       float[] scales, int[] zeroPoints, int lo, int hi) {
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                quantize(src, pos, dst, pos, inner, scales[c], zeroPoints == null ? 0 : zeroPoints[c], lo, hi);
                pos += inner;
            }
        }
    }

    /** Dequantizes n 8-bit values (read as unsigned when {@code unsigned}) into floats. */
    public static void dequantize(byte[] src, int srcPos, boolean unsigned, float[] dst, int dstPos, int n,
                                  float scale, int zeroPoint) {
        if (unsigned) {
            for (int i = 0; i < n; i++) {
                dst[dstPos + i] = (float) ((src[srcPos + i] & 0xff) - zeroPoint) * scale;
            }
        } else {
            for (int i = 0; i < n; i++) {
                dst[dstPos + i] = (float) (src[srcPos + i] - zeroPoint) * scale;
            }
        }
    }

    /** Per-axis dequantization of a tensor viewed as [outer, channels, inner] (see {@link #quantizePerAxis}). */
    public static void dequantizePerAxis(byte[] src, boolean unsigned, float[] dst, int outer, int channels, int inner,
                                         float[] scales, int[] zeroPoints) {
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                dequantize(src, pos, unsigned, dst, pos, inner, scales[c], zeroPoints == null ? 0 : zeroPoints[c]);
                pos += inner;
            }
        }
    }

    // ---- requantization ----------------------------------------------------------------------

    /**
     * The requantization multiplier {@code M = s_x * s_w / s_y}, in float32 and in that order
     * (the product first), as ONNX Runtime computes its output scales for QLinearConv and
     * QLinearMatMul.
     */
    public static float requantMultiplier(float inputScale, float weightScale, float outputScale) {
        return inputScale * weightScale / outputScale;
    }

    /**
     * Requantizes an int32 accumulator: {@code clamp(round_half_to_even(acc * M) + zp, lo, hi)}.
     *
     * <p>The product is computed in float32 on purpose: the accumulator is converted to float
     * (rounding to nearest even above 2^24) and multiplied by the float32 multiplier with a single
     * float32 rounding. That is exactly what ONNX Runtime's MLAS kernels do ({@code cvtdq2ps},
     * {@code mulps}, {@code cvtps2dq}) and what a float32 SIMD unit does in the {@code .bin}
     * runtime; doing it in double would round differently when {@code acc * M} lies within a
     * float32 rounding error of a .5 boundary, and the quantized ONNX model and the {@code .bin}
     * would no longer be bit-identical with ONNX Runtime. A fused Relu/Clip only changes lo/hi.
     */
    public static int requantize(int acc, float multiplier, int zeroPoint, int lo, int hi) {
        return saturateScaled((float) acc * multiplier, zeroPoint, lo, hi);
    }

    /**
     * A value already in output units ({@code x / s_y} or {@code acc * M}, computed in float32):
     * clamped to [lo, hi] (NaN to lo) and rounded half to even. The last step of every integer
     * kernel whose output is not a plain requantized accumulator (elementwise, pooling).
     */
    public static int roundClamp(float v, int lo, int hi) {
        return saturateScaled(v, 0, lo, hi);
    }

    /** Requantizes n accumulators with one multiplier into 8-bit storage. */
    public static void requantize(int[] acc, int accPos, byte[] dst, int dstPos, int n,
                                  float multiplier, int zeroPoint, int lo, int hi) {
        for (int i = 0; i < n; i++) {
            dst[dstPos + i] = (byte) saturateScaled((float) acc[accPos + i] * multiplier, zeroPoint, lo, hi);
        }
    }

    // ---- dynamic quantization parameters -----------------------------------------------------

    /**
     * DynamicQuantizeLinear's scale, as ONNX Runtime computes it: the range is first widened to
     * include 0, then {@code (max - min) / (qmax - qmin)} in float32, or 1 when the range is empty
     * (all zeros), where the ONNX formula would divide by zero.
     */
    public static float dynamicScale(float min, float max, int qmin, int qmax) {
        float lo = Math.min(min, 0f);
        float hi = Math.max(max, 0f);
        return hi == lo ? 1f : (hi - lo) / (float) (qmax - qmin);
    }

    /**
     * DynamicQuantizeLinear's zero point: {@code round_half_to_even(clamp(qmin - min / scale,
     * qmin, qmax))} in float32, min widened to include 0.
     */
    public static int dynamicZeroPoint(float min, float scale, int qmin, int qmax) {
        float initial = qmin - Math.min(min, 0f) / scale;
        float clamped = Math.max((float) qmin, Math.min((float) qmax, initial));
        return (int) Math.rint(clamped);
    }

    // ---- lookup tables -----------------------------------------------------------------------

    /**
     * A 256-entry int8 → int8 table for {@code f}: entry {@code q & 0xff} holds
     * {@code quantize(f(dequantize(q)))} for every int8 q, with the given scales and zero points.
     * Apply it with {@link #applyLookupTable}.
     */
    public static byte[] lookupTable(FloatFunction f, float inputScale, int inputZeroPoint,
                                     float outputScale, int outputZeroPoint) {
        byte[] table = new byte[256];
        for (int q = INT8_MIN; q <= INT8_MAX; q++) {
            float x = dequantize(q, inputZeroPoint, inputScale);
            table[q & 0xff] = (byte) quantize(f.apply(x), outputScale, outputZeroPoint, INT8_MIN, INT8_MAX);
        }
        return table;
    }

    /** The symmetric (zero point 0) int8 table of {@code f}. */
    public static byte[] lookupTable(FloatFunction f, float inputScale, float outputScale) {
        return lookupTable(f, inputScale, 0, outputScale, 0);
    }

    /** dst[i] = table[src[i] & 0xff] for n elements; Vector API loop when enabled on 512-bit vectors. */
    public static void applyLookupTable(byte[] table, byte[] src, int srcPos, byte[] dst, int dstPos, int n) {
        if (table.length != 256) {
            throw new IllegalArgumentException("a lookup table has 256 entries, not " + table.length);
        }
        int done = Simd.ENABLED && QuantMathVector.LOOKUP_USABLE
                ? QuantMathVector.lookup(table, src, srcPos, dst, dstPos, n) : 0;
        applyLookupTableScalar(table, src, srcPos + done, dst, dstPos + done, n - done);
    }

    /** The scalar reference of {@link #applyLookupTable}. */
    public static void applyLookupTableScalar(byte[] table, byte[] src, int srcPos, byte[] dst, int dstPos, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstPos + i] = table[src[srcPos + i] & 0xff];
        }
    }
}
