package dev.kiln.runtime.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

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
}
