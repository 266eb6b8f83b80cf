package dev.kiln.runtime.kernels.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static dev.kiln.runtime.kernels.math.FloatFunctions.ERF_ONE;
import static dev.kiln.runtime.kernels.math.FloatFunctions.ERF_SPLIT;
import static dev.kiln.runtime.kernels.math.FloatFunctions.EXP_HI;
import static dev.kiln.runtime.kernels.math.FloatFunctions.EXP_LO;
import static dev.kiln.runtime.kernels.math.FloatFunctions.LN2_HI;
import static dev.kiln.runtime.kernels.math.FloatFunctions.LN2_LO;
import static dev.kiln.runtime.kernels.math.FloatFunctions.LOG2E;
import static dev.kiln.runtime.kernels.math.FloatFunctions.P0;
import static dev.kiln.runtime.kernels.math.FloatFunctions.P1;
import static dev.kiln.runtime.kernels.math.FloatFunctions.P2;
import static dev.kiln.runtime.kernels.math.FloatFunctions.P3;
import static dev.kiln.runtime.kernels.math.FloatFunctions.P4;
import static dev.kiln.runtime.kernels.math.FloatFunctions.P5;
import static dev.kiln.runtime.kernels.math.FloatFunctions.SHIFTER;
import static dev.kiln.runtime.kernels.math.FloatFunctions.Q0;
import static dev.kiln.runtime.kernels.math.FloatFunctions.Q1;
import static dev.kiln.runtime.kernels.math.FloatFunctions.Q2;
import static dev.kiln.runtime.kernels.math.FloatFunctions.Q3;
import static dev.kiln.runtime.kernels.math.FloatFunctions.Q4;
import static dev.kiln.runtime.kernels.math.FloatFunctions.Q5;
import static dev.kiln.runtime.kernels.math.FloatFunctions.R0;
import static dev.kiln.runtime.kernels.math.FloatFunctions.R1;
import static dev.kiln.runtime.kernels.math.FloatFunctions.R2;
import static dev.kiln.runtime.kernels.math.FloatFunctions.R3;
import static dev.kiln.runtime.kernels.math.FloatFunctions.R4;
import static dev.kiln.runtime.kernels.math.FloatFunctions.R5;
import static dev.kiln.runtime.kernels.math.FloatFunctions.R6;
import static dev.kiln.runtime.kernels.math.FloatFunctions.R7;
import static dev.kiln.runtime.kernels.math.FloatFunctions.R8;

/**
 * Vector API loops of {@link FloatFunctions}: the same operations as the scalar reference, lane by
 * lane. Each loop handles whole vectors and returns how many elements it did; the caller finishes
 * the tail with the scalar code. One flat method per function: vectors passed to a helper that the
 * JIT does not inline are boxed.
 */
final class FloatFunctionsVector {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private FloatFunctionsVector() {
    }

    static int sigmoid(float[] x, int xo, float[] out, int o, int n) {
        int bound = n - n % L;
        int shifterBits = Float.floatToRawIntBits(SHIFTER);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i).neg();
            v = v.max(EXP_LO).min(EXP_HI);
            FloatVector j = v.fma(LOG2E, SHIFTER);
            FloatVector nf = j.sub(SHIFTER);
            IntVector ni = j.reinterpretAsInts().sub(shifterBits);
            FloatVector r = nf.neg().fma(FloatVector.broadcast(S, LN2_HI), v);
            r = nf.neg().fma(FloatVector.broadcast(S, LN2_LO), r);
            FloatVector p = FloatVector.broadcast(S, P0).fma(r, FloatVector.broadcast(S, P1));
            p = p.fma(r, FloatVector.broadcast(S, P2));
            p = p.fma(r, FloatVector.broadcast(S, P3));
            p = p.fma(r, FloatVector.broadcast(S, P4));
            p = p.fma(r, FloatVector.broadcast(S, P5));
            FloatVector e = p.fma(r.mul(r), r).add(1f);
            FloatVector scale = ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s = e.mul(scale).add(1f);
            FloatVector.broadcast(S, 1f).div(s).intoArray(out, o + i);
        }
        return bound;
    }

    static int erf(float[] x, int xo, float[] out, int o, int n) {
        int bound = n - n % L;
        int shifterBits = Float.floatToRawIntBits(SHIFTER);
        for (int i = 0; i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + i);
            FloatVector a = xv.abs();
            // below the split: x + x * Q(x^2)
            FloatVector t = xv.mul(xv);
            FloatVector q = FloatVector.broadcast(S, Q5).fma(t, FloatVector.broadcast(S, Q4));
            q = q.fma(t, FloatVector.broadcast(S, Q3));
            q = q.fma(t, FloatVector.broadcast(S, Q2));
            q = q.fma(t, FloatVector.broadcast(S, Q1));
            q = q.fma(t, FloatVector.broadcast(S, Q0));
            FloatVector small = xv.fma(q, xv);
            // above: 1 - exp(R(|x|)), with exp as in sigmoid
            FloatVector r = FloatVector.broadcast(S, R8).fma(a, FloatVector.broadcast(S, R7));
            r = r.fma(a, FloatVector.broadcast(S, R6));
            r = r.fma(a, FloatVector.broadcast(S, R5));
            r = r.fma(a, FloatVector.broadcast(S, R4));
            r = r.fma(a, FloatVector.broadcast(S, R3));
            r = r.fma(a, FloatVector.broadcast(S, R2));
            r = r.fma(a, FloatVector.broadcast(S, R1));
            r = r.fma(a, FloatVector.broadcast(S, R0));
            FloatVector v = r.max(EXP_LO).min(EXP_HI);
            FloatVector j = v.fma(LOG2E, SHIFTER);
            FloatVector nf = j.sub(SHIFTER);
            IntVector ni = j.reinterpretAsInts().sub(shifterBits);
            FloatVector rr = nf.neg().fma(FloatVector.broadcast(S, LN2_HI), v);
            rr = nf.neg().fma(FloatVector.broadcast(S, LN2_LO), rr);
            FloatVector p = FloatVector.broadcast(S, P0).fma(rr, FloatVector.broadcast(S, P1));
            p = p.fma(rr, FloatVector.broadcast(S, P2));
            p = p.fma(rr, FloatVector.broadcast(S, P3));
            p = p.fma(rr, FloatVector.broadcast(S, P4));
            p = p.fma(rr, FloatVector.broadcast(S, P5));
            FloatVector e = p.fma(rr.mul(rr), rr).add(1f);
            FloatVector scale = ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector big = FloatVector.broadcast(S, 1f).sub(e.mul(scale));
            big = big.blend(FloatVector.broadcast(S, 1f), a.compare(VectorOperators.GE, ERF_ONE));
            // copy x's sign onto the magnitude
            IntVector signed = big.reinterpretAsInts().and(0x7fffffff).or(xv.reinterpretAsInts().and(0x80000000));
            big = signed.reinterpretAsFloats();
            small.blend(big, a.compare(VectorOperators.LT, ERF_SPLIT).not()).intoArray(out, o + i);
        }
        return bound;
    }

    static int silu(float[] x, int xo, float[] out, int o, int n) {
        int bound = n - n % L;
        int shifterBits = Float.floatToRawIntBits(SHIFTER);
        for (int i = 0; i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + i);
            FloatVector v = xv.neg().max(EXP_LO).min(EXP_HI);
            FloatVector j = v.fma(LOG2E, SHIFTER);
            FloatVector nf = j.sub(SHIFTER);
            IntVector ni = j.reinterpretAsInts().sub(shifterBits);
            FloatVector r = nf.neg().fma(FloatVector.broadcast(S, LN2_HI), v);
            r = nf.neg().fma(FloatVector.broadcast(S, LN2_LO), r);
            FloatVector p = FloatVector.broadcast(S, P0).fma(r, FloatVector.broadcast(S, P1));
            p = p.fma(r, FloatVector.broadcast(S, P2));
            p = p.fma(r, FloatVector.broadcast(S, P3));
            p = p.fma(r, FloatVector.broadcast(S, P4));
            p = p.fma(r, FloatVector.broadcast(S, P5));
            FloatVector e = p.fma(r.mul(r), r).add(1f);
            FloatVector scale = ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s = e.mul(scale).add(1f);
            xv.mul(FloatVector.broadcast(S, 1f).div(s)).intoArray(out, o + i);
        }
        return bound;
    }
}
