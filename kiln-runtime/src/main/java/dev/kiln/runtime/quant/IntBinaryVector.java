package dev.kiln.runtime.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loops of {@link IntBinary#runBytes}: int8 lanes widened to float32, the same float32
 * operations in the same order as the scalar loop, then {@link QuantMath#roundClamp} lane-wise
 * (NaN to lo, clamp, round half to even through the 1.5 * 2^23 shifter, exact for |v| < 2^22) and
 * narrowed back to int8. Each loop does whole vectors and returns how many elements it did.
 * Loaded only when {@code Simd.ENABLED}; needs vectors of at least 8 floats (bytes are loaded
 * L at a time, and the narrowest byte vector holds 8).
 */
final class IntBinaryVector {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final boolean USABLE = L >= 8;
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
    /** 1.5 * 2^23: adding it rounds a float in (-2^22, 2^22) to an integer, half to even. */
    static final float SHIFTER = 12582912f;
    static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);

    private IntBinaryVector() {
    }

    /** Add (or Sub): (float) a * ma +/- (float) b * mb. */
    static int add(boolean sub, float ma, float mb, byte[] a, int ia, int sa, byte[] b, int ib, int sb, byte[] y, int o,
                   int n, int lo, int hi) {
        int bound = n - n % L;
        FloatVector flo = FloatVector.broadcast(S, lo);
        FloatVector fhi = FloatVector.broadcast(S, hi);
        FloatVector ta0 = FloatVector.broadcast(S, (float) a[ia] * ma);
        FloatVector tb0 = FloatVector.broadcast(S, (float) b[ib] * mb);
        for (int i = 0; i < bound; i += L) {
            FloatVector ta = sa == 0 ? ta0
                    : ((FloatVector) ByteVector.fromArray(B, a, ia + i).convertShape(VectorOperators.B2F, S, 0)).mul(ma);
            FloatVector tb = sb == 0 ? tb0
                    : ((FloatVector) ByteVector.fromArray(B, b, ib + i).convertShape(VectorOperators.B2F, S, 0)).mul(mb);
            FloatVector v = sub ? ta.sub(tb) : ta.add(tb);
            v = flo.blend(v, v.compare(VectorOperators.GE, flo)).min(fhi);
            IntVector q = v.add(SHIFTER).reinterpretAsInts().sub(SHIFTER_BITS);
            ((ByteVector) q.convertShape(VectorOperators.I2B, B, 0)).intoArray(y, o + i);
        }
        return bound;
    }

    /** Mul: (float) (a * b) * mab (the int8 product is exact in float32). */
    static int mul(float mab, byte[] a, int ia, int sa, byte[] b, int ib, int sb, byte[] y, int o, int n, int lo, int hi) {
        int bound = n - n % L;
        FloatVector flo = FloatVector.broadcast(S, lo);
        FloatVector fhi = FloatVector.broadcast(S, hi);
        FloatVector fa0 = FloatVector.broadcast(S, a[ia]);
        FloatVector fb0 = FloatVector.broadcast(S, b[ib]);
        for (int i = 0; i < bound; i += L) {
            FloatVector fa = sa == 0 ? fa0
                    : (FloatVector) ByteVector.fromArray(B, a, ia + i).convertShape(VectorOperators.B2F, S, 0);
            FloatVector fb = sb == 0 ? fb0
                    : (FloatVector) ByteVector.fromArray(B, b, ib + i).convertShape(VectorOperators.B2F, S, 0);
            FloatVector v = fa.mul(fb).mul(mab);
            v = flo.blend(v, v.compare(VectorOperators.GE, flo)).min(fhi);
            IntVector q = v.add(SHIFTER).reinterpretAsInts().sub(SHIFTER_BITS);
            ((ByteVector) q.convertShape(VectorOperators.I2B, B, 0)).intoArray(y, o + i);
        }
        return bound;
    }
}
