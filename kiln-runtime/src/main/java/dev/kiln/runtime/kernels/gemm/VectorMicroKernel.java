package dev.kiln.runtime.kernels.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 6 x (2 vectors) FMA micro-kernel on the Vector API: 12 accumulators, two B loads and six A
 * broadcasts per step. One flat method on purpose: passing vectors to a helper that the JIT does
 * not inline boxes them. Only fromArray/intoArray are used, so code compiled on JDK 17 runs on
 * later JDKs unchanged.
 */
public final class VectorMicroKernel implements MicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void tile(float[] a, int ao, float[] b, int bo, int kc, float[] c, int co, int ldc,
                     boolean accumulate, float[] bias, int biasOff, boolean last, float lo, float hi) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        int r0 = co, r1 = co + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, r0);
            c01 = FloatVector.fromArray(S, c, r0 + L);
            c10 = FloatVector.fromArray(S, c, r1);
            c11 = FloatVector.fromArray(S, c, r1 + L);
            c20 = FloatVector.fromArray(S, c, r2);
            c21 = FloatVector.fromArray(S, c, r2 + L);
            c30 = FloatVector.fromArray(S, c, r3);
            c31 = FloatVector.fromArray(S, c, r3 + L);
            c40 = FloatVector.fromArray(S, c, r4);
            c41 = FloatVector.fromArray(S, c, r4 + L);
            c50 = FloatVector.fromArray(S, c, r5);
            c51 = FloatVector.fromArray(S, c, r5 + L);
        } else if (bias != null) {
            c00 = FloatVector.broadcast(S, bias[biasOff]);
            c01 = c00;
            c10 = FloatVector.broadcast(S, bias[biasOff + 1]);
            c11 = c10;
            c20 = FloatVector.broadcast(S, bias[biasOff + 2]);
            c21 = c20;
            c30 = FloatVector.broadcast(S, bias[biasOff + 3]);
            c31 = c30;
            c40 = FloatVector.broadcast(S, bias[biasOff + 4]);
            c41 = c40;
            c50 = FloatVector.broadcast(S, bias[biasOff + 5]);
            c51 = c50;
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
            c40 = c00;
            c41 = c00;
            c50 = c00;
            c51 = c00;
        }
        int ak = ao;
        int bk = bo;
        for (int k = 0; k < kc; k++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
            FloatVector av = FloatVector.broadcast(S, a[ak]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ak + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ak + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ak + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ak + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ak + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            ak += MR;
            bk += NR;
        }
        if (last && (lo != Float.NEGATIVE_INFINITY || hi != Float.POSITIVE_INFINITY)) {
            FloatVector vlo = FloatVector.broadcast(S, lo);
            FloatVector vhi = FloatVector.broadcast(S, hi);
            c00 = c00.max(vlo).min(vhi);
            c01 = c01.max(vlo).min(vhi);
            c10 = c10.max(vlo).min(vhi);
            c11 = c11.max(vlo).min(vhi);
            c20 = c20.max(vlo).min(vhi);
            c21 = c21.max(vlo).min(vhi);
            c30 = c30.max(vlo).min(vhi);
            c31 = c31.max(vlo).min(vhi);
            c40 = c40.max(vlo).min(vhi);
            c41 = c41.max(vlo).min(vhi);
            c50 = c50.max(vlo).min(vhi);
            c51 = c51.max(vlo).min(vhi);
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + L);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + L);
    }

    @Override
    public String description() {
        return "Vector API, " + L + " float lanes, " + MR + "x" + NR + " tiles";
    }
}
