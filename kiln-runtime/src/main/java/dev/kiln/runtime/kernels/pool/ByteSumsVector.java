package dev.kiln.runtime.kernels.pool;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API loop of {@link ByteSums#sum}; loaded only when {@code Simd.ENABLED}. */
final class ByteSumsVector {
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final int L = I.length();
    /** Byte vectors of L lanes exist from 8 lanes (64 bits) up. */
    static final boolean USABLE = L >= 8;
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));

    private ByteSumsVector() {
    }

    /** The sum of x[from, from + n), n a multiple of L. */
    static int sum(byte[] x, int from, int n) {
        IntVector acc = IntVector.zero(I);
        for (int i = 0; i < n; i += L) {
            acc = acc.add((IntVector) ByteVector.fromArray(B, x, from + i).convertShape(VectorOperators.B2I, I, 0));
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
