package dev.kiln.runtime.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import static dev.kiln.runtime.quant.IntBinaryVector.B;
import static dev.kiln.runtime.quant.IntBinaryVector.L;
import static dev.kiln.runtime.quant.IntBinaryVector.S;
import static dev.kiln.runtime.quant.IntBinaryVector.SHIFTER;
import static dev.kiln.runtime.quant.IntBinaryVector.SHIFTER_BITS;

/**
 * Vector API loops of {@link QuantMath}'s array methods: the same float32 operations lane by lane
 * (a true division by the scale, NaN to the lower bound, clamp, round half to even through the
 * shifter of {@link IntBinaryVector}). Each loop does whole vectors and returns how many elements
 * it did. Loaded only when {@code Simd.ENABLED} and {@link IntBinaryVector#USABLE}.
 */
final class QuantMathVector {
    /** 64 byte lanes: a 256-entry table is four vectors, and a byte shuffle of 64 lanes is one instruction (VBMI). */
    static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_512;
    /** Whether {@link #lookup} runs: 512-bit vectors are the JVM's preferred size. */
    static final boolean LOOKUP_USABLE = ByteVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    private QuantMathVector() {
    }

    /** 8-bit quantization; the zero-point-shifted bounds are within int16, so the shifter is exact. */
    static int quantize(float[] src, int srcPos, byte[] dst, int dstPos, int n, float scale, int zeroPoint, int lo,
                        int hi) {
        int bound = n - n % L;
        FloatVector min = FloatVector.broadcast(S, lo - zeroPoint);
        FloatVector max = FloatVector.broadcast(S, hi - zeroPoint);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, src, srcPos + i).div(scale);
            v = min.blend(v, v.compare(VectorOperators.GE, min)).min(max);
            IntVector q = v.add(SHIFTER).reinterpretAsInts().sub(SHIFTER_BITS - zeroPoint);
            ((ByteVector) q.convertShape(VectorOperators.I2B, B, 0)).intoArray(dst, dstPos + i);
        }
        return bound;
    }

    /**
     * dst[i] = table[src[i] & 0xff], 64 lanes at a time: the low 6 bits of each value shuffle each
     * quarter of the table, and the value's signed range picks the quarter.
     */
    static int lookup(byte[] table, byte[] src, int srcPos, byte[] dst, int dstPos, int n) {
        int bound = n - n % 64;
        // quarters by signed value: [-128, -64), [-64, 0), [0, 64), [64, 128)
        ByteVector q0 = ByteVector.fromArray(B64, table, 128);
        ByteVector q1 = ByteVector.fromArray(B64, table, 192);
        ByteVector q2 = ByteVector.fromArray(B64, table, 0);
        ByteVector q3 = ByteVector.fromArray(B64, table, 64);
        for (int i = 0; i < bound; i += 64) {
            ByteVector v = ByteVector.fromArray(B64, src, srcPos + i);
            VectorShuffle<Byte> low = v.and((byte) 63).toShuffle();
            ByteVector r = q0.rearrange(low);
            r = r.blend(q1.rearrange(low), v.compare(VectorOperators.GE, (byte) -64));
            r = r.blend(q2.rearrange(low), v.compare(VectorOperators.GE, (byte) 0));
            r = r.blend(q3.rearrange(low), v.compare(VectorOperators.GE, (byte) 64));
            r.intoArray(dst, dstPos + i);
        }
        return bound;
    }
}
