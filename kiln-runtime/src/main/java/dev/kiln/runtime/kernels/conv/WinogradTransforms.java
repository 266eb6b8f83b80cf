package dev.kiln.runtime.kernels.conv;

import dev.kiln.runtime.kernels.Simd;

/**
 * The three transforms of Winograd's F(2x2, 3x3), on many tiles at once. A tile is identified by
 * its position q on a grid of row width wq; its 4x4 input patch d[i][k] sits in the four phase
 * planes of the zero-padded input (phase (i mod 2, k mod 2), shifted by (i/2) rows and k/2
 * columns), so for consecutive q every one of the 16 inputs is a unit-stride run:
 * <pre>
 *   V = B^T d B,  B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
 *   U = G g G^T,  G   = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]
 *   Y = A^T M A,  A^T = [1 1 1 0; 0 1 -1 -1]     (M = U ⊙ V summed over input channels)
 * </pre>
 * The scalar loops are the reference; the Vector API loops ({@link WinogradVector}, chosen by
 * {@link Simd}) do whole vectors with the same additions in the same order, then the scalar loop
 * finishes the tail, so both give the same bits.
 */
final class WinogradTransforms {
    private WinogradTransforms() {
    }

    /** The 4x4 transformed kernel of one 3x3 kernel g (row-major at g[go]), into u[uo + xi * stride]. */
    static void kernel(float[] g, int go, float[] u, int uo, int stride) {
        double[][] gg = new double[4][3];
        for (int col = 0; col < 3; col++) {
            double a = g[go + col];
            double b = g[go + 3 + col];
            double c = g[go + 6 + col];
            gg[0][col] = a;
            gg[1][col] = (a + b + c) / 2;
            gg[2][col] = (a - b + c) / 2;
            gg[3][col] = c;
        }
        for (int r = 0; r < 4; r++) {
            double a = gg[r][0];
            double b = gg[r][1];
            double c = gg[r][2];
            u[uo + (4 * r) * stride] = (float) a;
            u[uo + (4 * r + 1) * stride] = (float) ((a + b + c) / 2);
            u[uo + (4 * r + 2) * stride] = (float) ((a - b + c) / 2);
            u[uo + (4 * r + 3) * stride] = (float) c;
        }
    }

    /**
     * V_xi[j] = (B^T d B)[xi / 4][xi % 4] for the tiles at grid positions q0 + j, j &lt; len, of one
     * channel whose phase planes start at p[pOff] (each {@code plane} floats); written to
     * v[vOff + xi * vStride + j].
     */
    static void input(float[] p, int pOff, int plane, int wq, int q0, int len, float[] v, int vOff, int vStride) {
        int done = Simd.ENABLED ? WinogradVector.input(p, pOff, plane, wq, q0, len, v, vOff, vStride) : 0;
        inputScalar(p, pOff, plane, wq, q0, done, len, v, vOff, vStride);
    }

    /** The scalar reference of {@link #input}, for j in [from, len). */
    static void inputScalar(float[] p, int pOff, int plane, int wq, int q0, int from, int len, float[] v, int vOff,
                            int vStride) {
        int p00 = pOff + q0;
        int p01 = p00 + plane;
        int p10 = p01 + plane;
        int p11 = p10 + plane;
        for (int j = from; j < len; j++) {
            // row i of the patch: phases (i % 2, 0) and (i % 2, 1), shifted down by i / 2 rows
            float d00 = p[p00 + j];
            float d01 = p[p01 + j];
            float d02 = p[p00 + j + 1];
            float d03 = p[p01 + j + 1];
            float d10 = p[p10 + j];
            float d11 = p[p11 + j];
            float d12 = p[p10 + j + 1];
            float d13 = p[p11 + j + 1];
            float d20 = p[p00 + j + wq];
            float d21 = p[p01 + j + wq];
            float d22 = p[p00 + j + wq + 1];
            float d23 = p[p01 + j + wq + 1];
            float d30 = p[p10 + j + wq];
            float d31 = p[p11 + j + wq];
            float d32 = p[p10 + j + wq + 1];
            float d33 = p[p11 + j + wq + 1];
            // d B, row by row
            float t00 = d00 - d02;
            float t01 = d01 + d02;
            float t02 = d02 - d01;
            float t03 = d01 - d03;
            float t10 = d10 - d12;
            float t11 = d11 + d12;
            float t12 = d12 - d11;
            float t13 = d11 - d13;
            float t20 = d20 - d22;
            float t21 = d21 + d22;
            float t22 = d22 - d21;
            float t23 = d21 - d23;
            float t30 = d30 - d32;
            float t31 = d31 + d32;
            float t32 = d32 - d31;
            float t33 = d31 - d33;
            // B^T (d B), column by column
            int o = vOff + j;
            v[o] = t00 - t20;
            v[o + vStride] = t01 - t21;
            v[o + 2 * vStride] = t02 - t22;
            v[o + 3 * vStride] = t03 - t23;
            v[o + 4 * vStride] = t10 + t20;
            v[o + 5 * vStride] = t11 + t21;
            v[o + 6 * vStride] = t12 + t22;
            v[o + 7 * vStride] = t13 + t23;
            v[o + 8 * vStride] = t20 - t10;
            v[o + 9 * vStride] = t21 - t11;
            v[o + 10 * vStride] = t22 - t12;
            v[o + 11 * vStride] = t23 - t13;
            v[o + 12 * vStride] = t10 - t30;
            v[o + 13 * vStride] = t11 - t31;
            v[o + 14 * vStride] = t12 - t32;
            v[o + 15 * vStride] = t13 - t33;
        }
    }

    /**
     * O_ab[j] = (A^T M A)[a][b] for j &lt; len, where M_xi[j] = m[mOff + xi * mStride + j]; written to
     * o[oOff + (2a + b) * oStride + j].
     */
    static void output(float[] m, int mOff, int mStride, int len, float[] o, int oOff, int oStride) {
        int done = Simd.ENABLED ? WinogradVector.output(m, mOff, mStride, len, o, oOff, oStride) : 0;
        outputScalar(m, mOff, mStride, done, len, o, oOff, oStride);
    }

    /** The scalar reference of {@link #output}, for j in [from, len). */
    static void outputScalar(float[] m, int mOff, int mStride, int from, int len, float[] o, int oOff, int oStride) {
        for (int j = from; j < len; j++) {
            int i = mOff + j;
            float m00 = m[i];
            float m01 = m[i + mStride];
            float m02 = m[i + 2 * mStride];
            float m03 = m[i + 3 * mStride];
            float m10 = m[i + 4 * mStride];
            float m11 = m[i + 5 * mStride];
            float m12 = m[i + 6 * mStride];
            float m13 = m[i + 7 * mStride];
            float m20 = m[i + 8 * mStride];
            float m21 = m[i + 9 * mStride];
            float m22 = m[i + 10 * mStride];
            float m23 = m[i + 11 * mStride];
            float m30 = m[i + 12 * mStride];
            float m31 = m[i + 13 * mStride];
            float m32 = m[i + 14 * mStride];
            float m33 = m[i + 15 * mStride];
            // M A, row by row
            float s00 = m00 + m01 + m02;
            float s01 = m01 - m02 - m03;
            float s10 = m10 + m11 + m12;
            float s11 = m11 - m12 - m13;
            float s20 = m20 + m21 + m22;
            float s21 = m21 - m22 - m23;
            float s30 = m30 + m31 + m32;
            float s31 = m31 - m32 - m33;
            int q = oOff + j;
            o[q] = s00 + s10 + s20;
            o[q + oStride] = s01 + s11 + s21;
            o[q + 2 * oStride] = s10 - s20 - s30;
            o[q + 3 * oStride] = s11 - s21 - s31;
        }
    }
}
