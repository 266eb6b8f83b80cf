package dev.kiln.runtime.kernels.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loops of {@link WinogradTransforms}: whole vectors of consecutive tiles, the same
 * additions in the same order as the scalar reference. Each returns how many tiles it did. One
 * flat method per transform: vectors passed to a helper the JIT does not inline are boxed.
 */
final class WinogradVector {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private WinogradVector() {
    }

    static int input(float[] p, int pOff, int plane, int wq, int q0, int len, float[] v, int vOff, int vStride) {
        int bound = len - len % L;
        int p00 = pOff + q0;
        int p01 = p00 + plane;
        int p10 = p01 + plane;
        int p11 = p10 + plane;
        for (int j = 0; j < bound; j += L) {
            FloatVector d00 = FloatVector.fromArray(S, p, p00 + j);
            FloatVector d01 = FloatVector.fromArray(S, p, p01 + j);
            FloatVector d02 = FloatVector.fromArray(S, p, p00 + j + 1);
            FloatVector d03 = FloatVector.fromArray(S, p, p01 + j + 1);
            FloatVector d10 = FloatVector.fromArray(S, p, p10 + j);
            FloatVector d11 = FloatVector.fromArray(S, p, p11 + j);
            FloatVector d12 = FloatVector.fromArray(S, p, p10 + j + 1);
            FloatVector d13 = FloatVector.fromArray(S, p, p11 + j + 1);
            FloatVector d20 = FloatVector.fromArray(S, p, p00 + j + wq);
            FloatVector d21 = FloatVector.fromArray(S, p, p01 + j + wq);
            FloatVector d22 = FloatVector.fromArray(S, p, p00 + j + wq + 1);
            FloatVector d23 = FloatVector.fromArray(S, p, p01 + j + wq + 1);
            FloatVector d30 = FloatVector.fromArray(S, p, p10 + j + wq);
            FloatVector d31 = FloatVector.fromArray(S, p, p11 + j + wq);
            FloatVector d32 = FloatVector.fromArray(S, p, p10 + j + wq + 1);
            FloatVector d33 = FloatVector.fromArray(S, p, p11 + j + wq + 1);
            FloatVector t00 = d00.sub(d02);
            FloatVector t01 = d01.add(d02);
            FloatVector t02 = d02.sub(d01);
            FloatVector t03 = d01.sub(d03);
            FloatVector t10 = d10.sub(d12);
            FloatVector t11 = d11.add(d12);
            FloatVector t12 = d12.sub(d11);
            FloatVector t13 = d11.sub(d13);
            FloatVector t20 = d20.sub(d22);
            FloatVector t21 = d21.add(d22);
            FloatVector t22 = d22.sub(d21);
            FloatVector t23 = d21.sub(d23);
            FloatVector t30 = d30.sub(d32);
            FloatVector t31 = d31.add(d32);
            FloatVector t32 = d32.sub(d31);
            FloatVector t33 = d31.sub(d33);
            int o = vOff + j;
            t00.sub(t20).intoArray(v, o);
            t01.sub(t21).intoArray(v, o + vStride);
            t02.sub(t22).intoArray(v, o + 2 * vStride);
            t03.sub(t23).intoArray(v, o + 3 * vStride);
            t10.add(t20).intoArray(v, o + 4 * vStride);
            t11.add(t21).intoArray(v, o + 5 * vStride);
            t12.add(t22).intoArray(v, o + 6 * vStride);
            t13.add(t23).intoArray(v, o + 7 * vStride);
            t20.sub(t10).intoArray(v, o + 8 * vStride);
            t21.sub(t11).intoArray(v, o + 9 * vStride);
            t22.sub(t12).intoArray(v, o + 10 * vStride);
            t23.sub(t13).intoArray(v, o + 11 * vStride);
            t10.sub(t30).intoArray(v, o + 12 * vStride);
            t11.sub(t31).intoArray(v, o + 13 * vStride);
            t12.sub(t32).intoArray(v, o + 14 * vStride);
            t13.sub(t33).intoArray(v, o + 15 * vStride);
        }
        return bound;
    }

    static int output(float[] m, int mOff, int mStride, int len, float[] o, int oOff, int oStride) {
        int bound = len - len % L;
        for (int j = 0; j < bound; j += L) {
            int i = mOff + j;
            FloatVector m00 = FloatVector.fromArray(S, m, i);
            FloatVector m01 = FloatVector.fromArray(S, m, i + mStride);
            FloatVector m02 = FloatVector.fromArray(S, m, i + 2 * mStride);
            FloatVector m03 = FloatVector.fromArray(S, m, i + 3 * mStride);
            FloatVector m10 = FloatVector.fromArray(S, m, i + 4 * mStride);
            FloatVector m11 = FloatVector.fromArray(S, m, i + 5 * mStride);
            FloatVector m12 = FloatVector.fromArray(S, m, i + 6 * mStride);
            FloatVector m13 = FloatVector.fromArray(S, m, i + 7 * mStride);
            FloatVector m20 = FloatVector.fromArray(S, m, i + 8 * mStride);
            FloatVector m21 = FloatVector.fromArray(S, m, i + 9 * mStride);
            FloatVector m22 = FloatVector.fromArray(S, m, i + 10 * mStride);
            FloatVector m23 = FloatVector.fromArray(S, m, i + 11 * mStride);
            FloatVector m30 = FloatVector.fromArray(S, m, i + 12 * mStride);
            FloatVector m31 = FloatVector.fromArray(S, m, i + 13 * mStride);
            FloatVector m32 = FloatVector.fromArray(S, m, i + 14 * mStride);
            FloatVector m33 = FloatVector.fromArray(S, m, i + 15 * mStride);
            FloatVector s00 = m00.add(m01).add(m02);
            FloatVector s01 = m01.sub(m02).sub(m03);
            FloatVector s10 = m10.add(m11).add(m12);
            FloatVector s11 = m11.sub(m12).sub(m13);
            FloatVector s20 = m20.add(m21).add(m22);
            FloatVector s21 = m21.sub(m22).sub(m23);
            FloatVector s30 = m30.add(m31).add(m32);
            FloatVector s31 = m31.sub(m32).sub(m33);
            int q = oOff + j;
            s00.add(s10).add(s20).intoArray(o, q);
            s01.add(s11).add(s21).intoArray(o, q + oStride);
            s10.sub(s20).sub(s30).intoArray(o, q + 2 * oStride);
            s11.sub(s21).sub(s31).intoArray(o, q + 3 * oStride);
        }
        return bound;
    }
}
