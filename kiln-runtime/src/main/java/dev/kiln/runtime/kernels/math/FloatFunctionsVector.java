package dev.kiln.runtime.kernels.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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
