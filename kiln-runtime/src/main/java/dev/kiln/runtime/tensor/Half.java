package dev.kiln.runtime.tensor;

/** IEEE 754 binary16 and bfloat16 conversions (round to nearest, ties to even). */
public final class Half {
    private Half() {
    }

    /** binary16 bit pattern to float. */
    public static float toFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal: value = mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** float to binary16 bit pattern, round to nearest even, overflow to infinity. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) {
            // Inf or NaN (keep NaN quiet and non-zero)
            return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 | ((abs >>> 13) & 0x3ff) : 0));
        }
        if (abs >= 0x477ff000) {
            // >= 65520 rounds to infinity
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) {
            // below the smallest normal half (2^-14): subnormal or zero
            if (abs < 0x33000000) {
                // below 2^-25: rounds to zero (exactly 2^-25 ties to even zero)
                return (short) sign;
            }
            int exp = abs >>> 23;
            int mant = (abs & 0x7fffff) | 0x800000;
            int shift = 126 - exp; // 14 + (127 - exp) - 1 ... number of bits to drop beyond 13
            // value = mant * 2^(exp-150); half subnormal unit = 2^-24 -> result = mant * 2^(exp-126)
            int total = shift;
            int q = mant >>> total;
            int rem = mant & ((1 << total) - 1);
            int halfway = 1 << (total - 1);
            if (rem > halfway || (rem == halfway && (q & 1) != 0)) {
                q++;
            }
            return (short) (sign | q);
        }
        int q = abs - 0x38000000; // rebias exponent by (127-15) << 23
        int rem = q & 0x1fff;
        q >>>= 13;
        if (rem > 0x1000 || (rem == 0x1000 && (q & 1) != 0)) {
            q++;
        }
        return (short) (sign | q);
    }

    /** The float nearest to f that binary16 can represent. */
    public static float round(float f) {
        return toFloat(fromFloat(f));
    }

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    public static short bf16FromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int lsb = (bits >>> 16) & 1;
        bits += 0x7fff + lsb;
        return (short) (bits >>> 16);
    }

    public static float bf16Round(float f) {
        return bf16ToFloat(bf16FromFloat(f));
    }
}
