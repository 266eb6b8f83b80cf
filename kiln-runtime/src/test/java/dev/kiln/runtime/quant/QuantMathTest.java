package dev.kiln.runtime.quant;

import org.junit.jupiter.api.Test;

import static dev.kiln.runtime.quant.QuantMath.INT16_MAX;
import static dev.kiln.runtime.quant.QuantMath.INT16_MIN;
import static dev.kiln.runtime.quant.QuantMath.INT8_MAX;
import static dev.kiln.runtime.quant.QuantMath.INT8_MIN;
import static dev.kiln.runtime.quant.QuantMath.UINT16_MAX;
import static dev.kiln.runtime.quant.QuantMath.UINT8_MAX;
import static dev.kiln.runtime.quant.QuantMath.UINT8_MIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The quantization arithmetic at the .5 boundaries, the integer limits and the special values. */
class QuantMathTest {
    @Test
    void roundsHalfToEvenOnFloatAndDouble() {
        float[] in = {0.5f, 1.5f, 2.5f, 3.5f, -0.5f, -1.5f, -2.5f, 0.49999997f, 0.50000006f, -0.50000006f, 126.5f};
        float[] want = {0f, 2f, 2f, 4f, -0f, -2f, -2f, 0f, 1f, -1f, 126f};
        for (int i = 0; i < in.length; i++) {
            assertEquals(want[i], QuantMath.roundHalfToEven(in[i]), "rint(" + in[i] + ")");
            assertEquals(want[i], QuantMath.roundHalfToEven((double) in[i]), 0.0, "rint((double) " + in[i] + ")");
        }
        // -0.5 rounds to negative zero, which still quantizes to 0
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(QuantMath.roundHalfToEven(-0.5f)));
        // large values are already integers and stay unchanged
        assertEquals(8388609f, QuantMath.roundHalfToEven(8388609f));
        assertEquals(4503599627370497.0, QuantMath.roundHalfToEven(4503599627370497.0), 0.0);
    }

    @Test
    void quantizesAtHalfBoundaries() {
        float[] in = {0.5f, 1.5f, 2.5f, -0.5f, -2.5f};
        int[] want = {0, 2, 2, 0, -2};
        for (int i = 0; i < in.length; i++) {
            assertEquals(want[i], QuantMath.quantize(in[i], 1f, 0, INT8_MIN, INT8_MAX), "q(" + in[i] + ")");
            assertEquals(want[i] + 128, QuantMath.quantize(in[i], 1f, 128, UINT8_MIN, UINT8_MAX), "uint8 q(" + in[i] + ")");
            // the same boundaries reached through a scale: x / 0.25
            assertEquals(want[i], QuantMath.quantize(in[i] * 0.25f, 0.25f, 0, INT8_MIN, INT8_MAX));
            assertEquals(want[i], QuantMath.quantize((double) in[i], 1.0, 0, INT8_MIN, INT8_MAX));
        }
    }

    @Test
    void saturatesAtTheInt8AndUint8Limits() {
        assertEquals(126, QuantMath.quantize(126.5f, 1f, 0, INT8_MIN, INT8_MAX));
        assertEquals(127, QuantMath.quantize(127.4f, 1f, 0, INT8_MIN, INT8_MAX));
        assertEquals(127, QuantMath.quantize(127.5f, 1f, 0, INT8_MIN, INT8_MAX));
        assertEquals(127, QuantMath.quantize(1e10f, 1f, 0, INT8_MIN, INT8_MAX));
        assertEquals(-128, QuantMath.quantize(-128.5f, 1f, 0, INT8_MIN, INT8_MAX));
        assertEquals(-128, QuantMath.quantize(-129f, 1f, 0, INT8_MIN, INT8_MAX));
        assertEquals(0, QuantMath.quantize(-0.7f, 1f, 0, UINT8_MIN, UINT8_MAX));
        assertEquals(255, QuantMath.quantize(255.5f, 1f, 0, UINT8_MIN, UINT8_MAX));
        // the zero point shifts the representable real range: uint8 zp 200 reaches only 55 above zero
        assertEquals(255, QuantMath.quantize(60f, 1f, 200, UINT8_MIN, UINT8_MAX));
        assertEquals(0, QuantMath.quantize(-250f, 1f, 200, UINT8_MIN, UINT8_MAX));
        assertEquals(INT16_MAX, QuantMath.quantize(40000f, 1f, 0, INT16_MIN, INT16_MAX));
        assertEquals(UINT16_MAX, QuantMath.quantize(70000f, 1f, 0, 0, UINT16_MAX));

        assertEquals(-128, QuantMath.saturateInt8(-1000));
        assertEquals(127, QuantMath.saturateInt8(128));
        assertEquals(5, QuantMath.saturateInt8(5));
        assertEquals(0, QuantMath.saturateUint8(-1));
        assertEquals(255, QuantMath.saturateUint8(256));
        assertEquals(-32768, QuantMath.saturateInt16(-40000));
        assertEquals(65535, QuantMath.saturateUint16(1L << 20));
        assertEquals(Integer.MAX_VALUE, QuantMath.saturateInt32(1L << 40));
        assertEquals(Integer.MIN_VALUE, QuantMath.saturateInt32(-(1L << 40)));
    }

    /** ONNX Runtime 1.24 (MLAS, float32 input): NaN → lowest, +inf → highest, -inf → lowest. */
    @Test
    void specialValuesFollowOnnxRuntime() {
        assertEquals(-128, QuantMath.quantize(Float.NaN, 1f, 0, INT8_MIN, INT8_MAX));
        assertEquals(127, QuantMath.quantize(Float.POSITIVE_INFINITY, 1f, 0, INT8_MIN, INT8_MAX));
        assertEquals(-128, QuantMath.quantize(Float.NEGATIVE_INFINITY, 1f, 0, INT8_MIN, INT8_MAX));
        assertEquals(0, QuantMath.quantize(Float.NaN, 1f, 128, UINT8_MIN, UINT8_MAX));
        assertEquals(255, QuantMath.quantize(Float.POSITIVE_INFINITY, 1f, 128, UINT8_MIN, UINT8_MAX));
        assertEquals(INT16_MIN, QuantMath.quantize(Float.NaN, 1f, 3, INT16_MIN, INT16_MAX));
        // a zero scale divides to +-inf (saturate) or NaN (0 / 0 → lowest)
        assertEquals(127, QuantMath.quantize(1f, 0f, 0, INT8_MIN, INT8_MAX));
        assertEquals(-128, QuantMath.quantize(0f, 0f, 0, INT8_MIN, INT8_MAX));
        assertEquals(-128, QuantMath.quantize(Double.NaN, 1.0, 0, INT8_MIN, INT8_MAX));
        assertEquals(-128, QuantMath.requantize(5, Float.NaN, 0, INT8_MIN, INT8_MAX));
    }

    /** x / s and x * (1 / s) land on different sides of a .5 boundary here; ORT divides. */
    @Test
    void dividesByTheScaleRatherThanMultiplyingByItsReciprocal() {
        float x = 2.4198275f;
        float s = 0.029691136f;
        assertEquals(81.5f, x / s);
        assertNotEquals(81.5f, x * (1f / s));
        assertEquals(82, QuantMath.quantize(x, s, 0, INT8_MIN, INT8_MAX));
    }

    @Test
    void dequantizesInFloat32() {
        assertEquals(-25.5f, QuantMath.dequantize(0, 255, 0.1f), 0f);
        assertEquals((float) (252) * 0.1f, QuantMath.dequantize(255, 3, 0.1f), 0f);
        // int32 values above 2^24 round when converted to float, as in ONNX Runtime
        assertEquals(16777216f, QuantMath.dequantize(16777217, 0, 1f), 0f);
        assertEquals(2147483648f, QuantMath.dequantize(Integer.MAX_VALUE, 0, 1f), 0f);
    }

    @Test
    void quantizesAndDequantizesArraysPerTensorAndPerAxis() {
        float[] x = {0.5f, 1.5f, 2.5f, -0.5f, 10f, -10f};
        byte[] q = new byte[6];
        QuantMath.quantize(x, 0, q, 0, 6, 0.5f, 1, INT8_MIN, INT8_MAX);
        assertArrayEquals(new byte[] {2, 4, 6, 0, 21, -19}, q);

        byte[] u = new byte[4];
        QuantMath.quantize(x, 2, u, 1, 3, 1f, 250, UINT8_MIN, UINT8_MAX);
        assertArrayEquals(new byte[] {0, (byte) 252, (byte) 250, (byte) 255}, u);

        short[] s = new short[2];
        QuantMath.quantize(new float[] {1000.5f, -1e9f}, 0, s, 0, 2, 1f, 0, INT16_MIN, INT16_MAX);
        assertArrayEquals(new short[] {1000, INT16_MIN}, s);

        // shape [2, 3, 2] quantized along axis 1: channel c has scale c + 1 and zero point -c
        float[] t = new float[12];
        for (int i = 0; i < 12; i++) {
            t[i] = i;
        }
        float[] scales = {1f, 2f, 3f};
        int[] zps = {0, -1, -2};
        byte[] pa = new byte[12];
        QuantMath.quantizePerAxis(t, pa, 2, 3, 2, scales, zps, INT8_MIN, INT8_MAX);
        // values 0,1 | 2,3 | 4,5 | 6,7 | 8,9 | 10,11 over channels 0,1,2,0,1,2; 3/2, 5/3 and 9/2 round half to even
        assertArrayEquals(new byte[] {0, 1, 0, 1, -1, 0, 6, 7, 3, 3, 1, 2}, pa);
        float[] back = new float[12];
        QuantMath.dequantizePerAxis(pa, false, back, 2, 3, 2, scales, zps);
        assertArrayEquals(new float[] {0, 1, 2, 4, 3, 6, 6, 7, 8, 8, 9, 12}, back, 0f);

        byte[] uq = {(byte) 255, 0, (byte) 128};
        float[] ud = new float[3];
        QuantMath.dequantize(uq, 0, true, ud, 0, 3, 0.5f, 128);
        assertArrayEquals(new float[] {63.5f, -64f, 0f}, ud, 0f);
        QuantMath.dequantize(uq, 0, false, ud, 0, 3, 0.5f, 0);
        assertArrayEquals(new float[] {-0.5f, 0f, -64f}, ud, 0f);
    }

    @Test
    void requantizesInFloat32() {
        // acc * M is exactly 645.5 in float32 (→ 646) but 645.49998 in double (→ 645)
        float m = 0.009261385f;
        assertEquals(645.5f, 69698f * m);
        assertEquals(646, QuantMath.requantize(69698, m, 0, INT16_MIN, INT16_MAX));
        assertEquals(645, (int) Math.rint(69698.0 * m));
        // and 264.5 in float32 (→ 264) but 264.500005 in double (→ 265)
        assertEquals(264, QuantMath.requantize(96902, 0.0027295619f, 0, INT16_MIN, INT16_MAX));

        assertEquals(2, QuantMath.requantize(5, 0.5f, 0, INT8_MIN, INT8_MAX));
        assertEquals(-2, QuantMath.requantize(-5, 0.5f, 0, INT8_MIN, INT8_MAX));
        assertEquals(127, QuantMath.requantize(1000, 1f, 0, INT8_MIN, INT8_MAX));
        assertEquals(-128, QuantMath.requantize(-1000, 1f, 0, INT8_MIN, INT8_MAX));
        assertEquals(132, QuantMath.requantize(7, 0.5f, 128, UINT8_MIN, UINT8_MAX));
        // a fused Relu only raises lo
        assertEquals(0, QuantMath.requantize(-7, 0.5f, 0, 0, INT8_MAX));
        // the accumulator is converted to float first: 2^24 + 1 becomes 2^24
        assertEquals(16777216, QuantMath.requantize(16777217, 1f, 0, Integer.MIN_VALUE, Integer.MAX_VALUE));

        int[] acc = {-300, -3, 3, 5, 300};
        byte[] out = new byte[5];
        QuantMath.requantize(acc, 0, out, 0, 5, 0.5f, -1, INT8_MIN, INT8_MAX);
        assertArrayEquals(new byte[] {-128, -3, 1, 1, 127}, out);
    }

    @Test
    void multiplierIsProductThenQuotientInFloat32() {
        float sx = 0.54331774f;
        float sw = 0.91037184f;
        float sy = 0.5488844f;
        assertEquals(sx * sw / sy, QuantMath.requantMultiplier(sx, sw, sy));
        assertNotEquals(sx * (sw / sy), QuantMath.requantMultiplier(sx, sw, sy));
    }

    @Test
    void dynamicParametersFollowOnnxRuntime() {
        // range [-0.3, 2.7]: scale 3 / 255, zero point 0.3 / scale = 25.5 → 26 (even)
        float scale = QuantMath.dynamicScale(-0.3f, 2.7f, 0, 255);
        assertEquals((2.7f + 0.3f) / 255f, scale);
        assertEquals(26, QuantMath.dynamicZeroPoint(-0.3f, scale, 0, 255));
        // all-zero input: scale 1, zero point 0 (the ONNX formula would divide by zero)
        assertEquals(1f, QuantMath.dynamicScale(0f, 0f, 0, 255));
        assertEquals(0, QuantMath.dynamicZeroPoint(0f, 1f, 0, 255));
        // positive-only input: the range is widened to include 0
        assertEquals(2f / 255f, QuantMath.dynamicScale(1f, 2f, 0, 255));
        assertEquals(0, QuantMath.dynamicZeroPoint(1f, 2f / 255f, 0, 255));
        // negative-only input: zero point saturates at 255
        float s = QuantMath.dynamicScale(-4f, -1f, 0, 255);
        assertEquals(4f / 255f, s);
        assertEquals(255, QuantMath.dynamicZeroPoint(-4f, s, 0, 255));
        // a .5 zero point rounds half to even
        assertEquals(4, QuantMath.dynamicZeroPoint(-4.5f, 1f, 0, 255));
    }

    @Test
    void buildsAndAppliesLookupTables() {
        byte[] identity = QuantMath.lookupTable(x -> x, 0.1f, 0.1f);
        for (int q = -128; q <= 127; q++) {
            assertEquals(q, identity[q & 0xff]);
        }
        // relu6 with different scales: q_out = clamp(rint(min(max(q * 0.05, 0), 6) / 0.1))
        byte[] relu6 = QuantMath.lookupTable(x -> Math.min(Math.max(x, 0f), 6f), 0.05f, 0.1f);
        assertEquals(0, relu6[(byte) -100 & 0xff]);
        assertEquals(0, relu6[0]);
        assertEquals(2, relu6[5]);   // 5 * 0.05 = 0.25 → 2.5 → 2
        assertEquals(50, relu6[100]); // 5.0 → 50
        assertEquals(60, relu6[127]); // 6.35 clipped to 6 → 60

        byte[] tanh = QuantMath.lookupTable(x -> (float) Math.tanh(x), 4f / 127f, 1, 1f / 127f, -1);
        assertEquals(126, tanh[127]); // tanh(126 * 4/127) = 0.99928 → 126.9 → 127, plus zero point -1
        assertEquals(-1, tanh[1]); // tanh(0) = 0 → zero point -1

        byte[] src = {-128, -1, 0, 5, 127};
        byte[] dst = new byte[5];
        QuantMath.applyLookupTable(relu6, src, 0, dst, 0, 5);
        assertArrayEquals(new byte[] {0, 0, 0, 2, 60}, dst);
        assertThrows(IllegalArgumentException.class,
                () -> QuantMath.applyLookupTable(new byte[255], src, 0, dst, 0, 5));
    }

    @Test
    void arrayQuantizeEqualsScalarReference() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        float[] special = {0.5f, 1.5f, -0.5f, -2.5f, 126.5f, 127.5f, -128.5f, 1e30f, -1e30f, Float.NaN,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f};
        int[][] ranges = {{INT8_MIN, INT8_MAX, 0}, {INT8_MIN, INT8_MAX, -3}, {UINT8_MIN, UINT8_MAX, 128},
            {UINT8_MIN, UINT8_MAX, 0}, {0, INT8_MAX, 0}};
        for (int n : new int[] {1, 3, 7, 15, 16, 17, 63, 65, 1023}) {
            float[] x = new float[n + 5];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : (float) (r.nextDouble() * 300 - 150);
            }
            for (float scale : new float[] {1f, 0.5f, 0.0078431373f, 3f}) {
                // every other value a multiple of scale / 2, so that x / scale lands on or next to .5
                for (int i = 1; i < x.length; i += 2) {
                    x[i] = (r.nextInt(300) - 150 + 0.5f) * scale;
                }
                for (int[] q : ranges) {
                    byte[] got = new byte[n + 2];
                    byte[] want = new byte[n + 2];
                    QuantMath.quantize(x, 3, got, 1, n, scale, q[2], q[0], q[1]);
                    QuantMath.quantizeScalar(x, 3, want, 1, n, scale, q[2], q[0], q[1]);
                    assertArrayEquals(want, got, "n " + n + " scale " + scale + " range " + q[0] + ".." + q[1] + " zp " + q[2]);
                }
            }
        }
    }

    @Test
    void arrayQuantizeEqualsScalarReferenceNextToEveryTie() {
        for (float scale : new float[] {0.0078431373f, 3f, 0.1f, 0.037f}) {
            // the 41 floats around each (k + 0.5) * scale: x / scale within a few ulps of .5
            float[] x = new float[300 * 41];
            int at = 0;
            for (int k = -150; k < 150; k++) {
                int bits = Float.floatToRawIntBits((k + 0.5f) * scale);
                for (int d = -20; d <= 20; d++) {
                    x[at++] = Float.intBitsToFloat(bits + d);
                }
            }
            for (int zp : new int[] {0, 128}) {
                int lo = zp == 0 ? INT8_MIN : UINT8_MIN;
                int hi = zp == 0 ? INT8_MAX : UINT8_MAX;
                byte[] got = new byte[x.length];
                byte[] want = new byte[x.length];
                QuantMath.quantize(x, 0, got, 0, x.length, scale, zp, lo, hi);
                QuantMath.quantizeScalar(x, 0, want, 0, x.length, scale, zp, lo, hi);
                assertArrayEquals(want, got, "scale " + scale + " zp " + zp);
            }
        }
    }

    @Test
    void lookupTableEqualsScalarReference() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        byte[] table = new byte[256];
        for (int i = 0; i < 256; i++) {
            table[i] = (byte) r.nextInt(256);
        }
        for (int n : new int[] {1, 3, 7, 15, 16, 17, 63, 64, 65, 127, 128, 129, 256, 1023}) {
            byte[] x = new byte[n + 4];
            for (int i = 0; i < x.length; i++) {
                x[i] = (byte) (i < 256 ? i - 128 : r.nextInt(256));
            }
            byte[] got = new byte[n + 3];
            byte[] want = new byte[n + 3];
            QuantMath.applyLookupTable(table, x, 4, got, 3, n);
            QuantMath.applyLookupTableScalar(table, x, 4, want, 3, n);
            assertArrayEquals(want, got, "n " + n);
        }
        // every value once, in order, and reversed
        byte[] all = new byte[512];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
            all[511 - i] = (byte) i;
        }
        byte[] got = new byte[512];
        byte[] want = new byte[512];
        QuantMath.applyLookupTable(table, all, 0, got, 0, 512);
        QuantMath.applyLookupTableScalar(table, all, 0, want, 0, 512);
        assertArrayEquals(want, got, "all values");
    }
}
