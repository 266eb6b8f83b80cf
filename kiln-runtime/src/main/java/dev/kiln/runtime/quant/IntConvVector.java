package dev.kiln.runtime.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels of the integer convolution, all on int32 lanes: products of int8 weights
 * with int8 or int16 activations (already widened) are added into int32 accumulators, which wrap
 * exactly as the scalar reference does whatever the order of the additions. The tiles are flat
 * methods on purpose: a vector passed to a helper the JIT does not inline is boxed. Only
 * fromArray/intoArray touch memory, so code compiled on JDK 17 runs on later JDKs unchanged.
 */
final class IntConvVector {
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = I.length();
    /** Bytes, one lane per int32 lane, or null when that shape does not exist (fewer than 8 lanes). */
    static final VectorSpecies<Byte> B = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * L)) : null;
    /** Bytes and shorts, two lanes per int32 lane. */
    private static final VectorSpecies<Byte> B2 = VectorSpecies.of(byte.class, VectorShape.forBitSize(16 * L));
    private static final VectorSpecies<Short> S2 = VectorSpecies.of(short.class, VectorShape.forBitSize(32 * L));
    /** Output channels per weight panel. */
    static final int MR = 8;
    /** Adding then subtracting 1.5 * 2^23 rounds a float of magnitude below 2^22 half to even. */
    private static final float ROUNDER = 12582912f;
    /** Largest |lo| or |hi| for which {@link #requantize} may use the rounding trick. */
    static final int ROUNDER_RANGE = 1 << 22;


    private IntConvVector() {
    }

    /** Lane i takes lane 2i of two concatenated vectors (indexes past the first select the second). */
    private static final VectorShuffle<Integer> EVEN_INTS = VectorShuffle.fromOp(I, i -> 2 * i);

    /** dst[at + i] = src[from + 2 * i] for i in [0, n). */
    static void evenLanes(int[] src, int from, int[] dst, int at, int n) {
        int i = 0;
        for (; i + L <= n && from + 2 * (i + L) <= src.length; i += L) {
            IntVector a = IntVector.fromArray(I, src, from + 2 * i);
            IntVector b = IntVector.fromArray(I, src, from + 2 * i + L);
            a.rearrange(EVEN_INTS, b).intoArray(dst, at + i);
        }
        for (; i < n; i++) {
            dst[at + i] = src[from + 2 * i];
        }
    }

    /**
     * Splits x[from, from + 2n) into its even and odd elements as float32: dst[ev + i] = x[from + 2i],
     * dst[od + i] = x[from + 2i + 1], for i in [0, done), done the returned multiple of L. Each pair
     * of bytes is read as one short whose low byte (little-endian lanes) is the even element.
     */
    static int splitPairs(byte[] x, int from, int n, float[] dst, int ev, int od) {
        int i = 0;
        for (; i + L <= n; i += L) {
            ShortVector p = (ShortVector) ByteVector.fromArray(B2, x, from + 2 * i).reinterpretAsShorts();
            ((FloatVector) p.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8)
                    .convertShape(VectorOperators.S2F, F, 0)).intoArray(dst, ev + i);
            ((FloatVector) p.lanewise(VectorOperators.ASHR, 8).convertShape(VectorOperators.S2F, F, 0))
                    .intoArray(dst, od + i);
        }
        return i;
    }

    /** As {@link #splitPairs(byte[], int, int, float[], int, int)} for int16 elements, paired as ints. */
    static int splitPairs(short[] x, int from, int n, float[] dst, int ev, int od) {
        int i = 0;
        for (; i + L <= n; i += L) {
            IntVector p = (IntVector) ShortVector.fromArray(S2, x, from + 2 * i).reinterpretAsInts();
            ((FloatVector) p.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .convertShape(VectorOperators.I2F, F, 0)).intoArray(dst, ev + i);
            ((FloatVector) p.lanewise(VectorOperators.ASHR, 16).convertShape(VectorOperators.I2F, F, 0))
                    .intoArray(dst, od + i);
        }
        return i;
    }

    /**
     * acc[r * lda + j] = bias[bo + r] + sum_kk wp[wo + kk * MR + r] * cols[co + kk * ldc + j] for the
     * MR panel rows and the 2 * L columns j starting at 0.
     */
    static void tile2(byte[] wp, int wo, int[] cols, int co, int ldc, int k, int[] bias, int bo, int[] acc, int ao,
                      int lda) {
        IntVector c00 = IntVector.broadcast(I, bias[bo]);
        IntVector c01 = c00;
        IntVector c10 = IntVector.broadcast(I, bias[bo + 1]);
        IntVector c11 = c10;
        IntVector c20 = IntVector.broadcast(I, bias[bo + 2]);
        IntVector c21 = c20;
        IntVector c30 = IntVector.broadcast(I, bias[bo + 3]);
        IntVector c31 = c30;
        IntVector c40 = IntVector.broadcast(I, bias[bo + 4]);
        IntVector c41 = c40;
        IntVector c50 = IntVector.broadcast(I, bias[bo + 5]);
        IntVector c51 = c50;
        IntVector c60 = IntVector.broadcast(I, bias[bo + 6]);
        IntVector c61 = c60;
        IntVector c70 = IntVector.broadcast(I, bias[bo + 7]);
        IntVector c71 = c70;
        for (int kk = 0; kk < k; kk++) {
            int ci = co + kk * ldc;
            IntVector b0 = IntVector.fromArray(I, cols, ci);
            IntVector b1 = IntVector.fromArray(I, cols, ci + L);
            int wi = wo + kk * MR;
            IntVector a = IntVector.broadcast(I, wp[wi]);
            c00 = c00.add(a.mul(b0));
            c01 = c01.add(a.mul(b1));
            a = IntVector.broadcast(I, wp[wi + 1]);
            c10 = c10.add(a.mul(b0));
            c11 = c11.add(a.mul(b1));
            a = IntVector.broadcast(I, wp[wi + 2]);
            c20 = c20.add(a.mul(b0));
            c21 = c21.add(a.mul(b1));
            a = IntVector.broadcast(I, wp[wi + 3]);
            c30 = c30.add(a.mul(b0));
            c31 = c31.add(a.mul(b1));
            a = IntVector.broadcast(I, wp[wi + 4]);
            c40 = c40.add(a.mul(b0));
            c41 = c41.add(a.mul(b1));
            a = IntVector.broadcast(I, wp[wi + 5]);
            c50 = c50.add(a.mul(b0));
            c51 = c51.add(a.mul(b1));
            a = IntVector.broadcast(I, wp[wi + 6]);
            c60 = c60.add(a.mul(b0));
            c61 = c61.add(a.mul(b1));
            a = IntVector.broadcast(I, wp[wi + 7]);
            c70 = c70.add(a.mul(b0));
            c71 = c71.add(a.mul(b1));
        }
        c00.intoArray(acc, ao);
        c01.intoArray(acc, ao + L);
        c10.intoArray(acc, ao + lda);
        c11.intoArray(acc, ao + lda + L);
        c20.intoArray(acc, ao + 2 * lda);
        c21.intoArray(acc, ao + 2 * lda + L);
        c30.intoArray(acc, ao + 3 * lda);
        c31.intoArray(acc, ao + 3 * lda + L);
        c40.intoArray(acc, ao + 4 * lda);
        c41.intoArray(acc, ao + 4 * lda + L);
        c50.intoArray(acc, ao + 5 * lda);
        c51.intoArray(acc, ao + 5 * lda + L);
        c60.intoArray(acc, ao + 6 * lda);
        c61.intoArray(acc, ao + 6 * lda + L);
        c70.intoArray(acc, ao + 7 * lda);
        c71.intoArray(acc, ao + 7 * lda + L);
    }

    /**
     * As {@link #tile2} with float32 multiply-adds, for operands whose every partial sum is an
     * integer of magnitude at most 2^24 (so exact in float32 whatever the order): the sums are
     * converted back to int32 and the bias added there.
     */
    static void tile2f(float[] wp, int wo, int[] cols, int co, int ldc, int k, int[] bias, int bo, int[] acc, int ao,
                      int lda) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00;
        FloatVector c10 = FloatVector.zero(F);
        FloatVector c11 = c10;
        FloatVector c20 = FloatVector.zero(F);
        FloatVector c21 = c20;
        FloatVector c30 = FloatVector.zero(F);
        FloatVector c31 = c30;
        FloatVector c40 = FloatVector.zero(F);
        FloatVector c41 = c40;
        FloatVector c50 = FloatVector.zero(F);
        FloatVector c51 = c50;
        FloatVector c60 = FloatVector.zero(F);
        FloatVector c61 = c60;
        FloatVector c70 = FloatVector.zero(F);
        FloatVector c71 = c70;
        for (int kk = 0; kk < k; kk++) {
            int ci = co + kk * ldc;
            FloatVector b0 = (FloatVector) IntVector.fromArray(I, cols, ci).convert(VectorOperators.I2F, 0);
            FloatVector b1 = (FloatVector) IntVector.fromArray(I, cols, ci + L).convert(VectorOperators.I2F, 0);
            int wi = wo + kk * MR;
            FloatVector a = FloatVector.broadcast(F, wp[wi]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(F, wp[wi + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(F, wp[wi + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(F, wp[wi + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(F, wp[wi + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(F, wp[wi + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(F, wp[wi + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(F, wp[wi + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        ((IntVector) c00.convert(VectorOperators.F2I, 0)).add(bias[bo]).intoArray(acc, ao);
        ((IntVector) c01.convert(VectorOperators.F2I, 0)).add(bias[bo]).intoArray(acc, ao + L);
        ((IntVector) c10.convert(VectorOperators.F2I, 0)).add(bias[bo + 1]).intoArray(acc, ao + lda);
        ((IntVector) c11.convert(VectorOperators.F2I, 0)).add(bias[bo + 1]).intoArray(acc, ao + lda + L);
        ((IntVector) c20.convert(VectorOperators.F2I, 0)).add(bias[bo + 2]).intoArray(acc, ao + 2 * lda);
        ((IntVector) c21.convert(VectorOperators.F2I, 0)).add(bias[bo + 2]).intoArray(acc, ao + 2 * lda + L);
        ((IntVector) c30.convert(VectorOperators.F2I, 0)).add(bias[bo + 3]).intoArray(acc, ao + 3 * lda);
        ((IntVector) c31.convert(VectorOperators.F2I, 0)).add(bias[bo + 3]).intoArray(acc, ao + 3 * lda + L);
        ((IntVector) c40.convert(VectorOperators.F2I, 0)).add(bias[bo + 4]).intoArray(acc, ao + 4 * lda);
        ((IntVector) c41.convert(VectorOperators.F2I, 0)).add(bias[bo + 4]).intoArray(acc, ao + 4 * lda + L);
        ((IntVector) c50.convert(VectorOperators.F2I, 0)).add(bias[bo + 5]).intoArray(acc, ao + 5 * lda);
        ((IntVector) c51.convert(VectorOperators.F2I, 0)).add(bias[bo + 5]).intoArray(acc, ao + 5 * lda + L);
        ((IntVector) c60.convert(VectorOperators.F2I, 0)).add(bias[bo + 6]).intoArray(acc, ao + 6 * lda);
        ((IntVector) c61.convert(VectorOperators.F2I, 0)).add(bias[bo + 6]).intoArray(acc, ao + 6 * lda + L);
        ((IntVector) c70.convert(VectorOperators.F2I, 0)).add(bias[bo + 7]).intoArray(acc, ao + 7 * lda);
        ((IntVector) c71.convert(VectorOperators.F2I, 0)).add(bias[bo + 7]).intoArray(acc, ao + 7 * lda + L);
    }

    /** As {@link #tile2} for L columns. */
    static void tile1(byte[] wp, int wo, int[] cols, int co, int ldc, int k, int[] bias, int bo, int[] acc, int ao,
                      int lda) {
        IntVector c0 = IntVector.broadcast(I, bias[bo]);
        IntVector c1 = IntVector.broadcast(I, bias[bo + 1]);
        IntVector c2 = IntVector.broadcast(I, bias[bo + 2]);
        IntVector c3 = IntVector.broadcast(I, bias[bo + 3]);
        IntVector c4 = IntVector.broadcast(I, bias[bo + 4]);
        IntVector c5 = IntVector.broadcast(I, bias[bo + 5]);
        IntVector c6 = IntVector.broadcast(I, bias[bo + 6]);
        IntVector c7 = IntVector.broadcast(I, bias[bo + 7]);
        for (int kk = 0; kk < k; kk++) {
            IntVector b = IntVector.fromArray(I, cols, co + kk * ldc);
            int wi = wo + kk * MR;
            c0 = c0.add(b.mul(wp[wi]));
            c1 = c1.add(b.mul(wp[wi + 1]));
            c2 = c2.add(b.mul(wp[wi + 2]));
            c3 = c3.add(b.mul(wp[wi + 3]));
            c4 = c4.add(b.mul(wp[wi + 4]));
            c5 = c5.add(b.mul(wp[wi + 5]));
            c6 = c6.add(b.mul(wp[wi + 6]));
            c7 = c7.add(b.mul(wp[wi + 7]));
        }
        c0.intoArray(acc, ao);
        c1.intoArray(acc, ao + lda);
        c2.intoArray(acc, ao + 2 * lda);
        c3.intoArray(acc, ao + 3 * lda);
        c4.intoArray(acc, ao + 4 * lda);
        c5.intoArray(acc, ao + 5 * lda);
        c6.intoArray(acc, ao + 6 * lda);
        c7.intoArray(acc, ao + 7 * lda);
    }

    /** As {@link #tile2f} for L columns. */
    static void tile1f(float[] wp, int wo, int[] cols, int co, int ldc, int k, int[] bias, int bo, int[] acc, int ao,
                      int lda) {
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = FloatVector.zero(F);
        FloatVector c2 = FloatVector.zero(F);
        FloatVector c3 = FloatVector.zero(F);
        FloatVector c4 = FloatVector.zero(F);
        FloatVector c5 = FloatVector.zero(F);
        FloatVector c6 = FloatVector.zero(F);
        FloatVector c7 = FloatVector.zero(F);
        for (int kk = 0; kk < k; kk++) {
            FloatVector b = (FloatVector) IntVector.fromArray(I, cols, co + kk * ldc).convert(VectorOperators.I2F, 0);
            int wi = wo + kk * MR;
            c0 = b.fma(FloatVector.broadcast(F, wp[wi]), c0);
            c1 = b.fma(FloatVector.broadcast(F, wp[wi + 1]), c1);
            c2 = b.fma(FloatVector.broadcast(F, wp[wi + 2]), c2);
            c3 = b.fma(FloatVector.broadcast(F, wp[wi + 3]), c3);
            c4 = b.fma(FloatVector.broadcast(F, wp[wi + 4]), c4);
            c5 = b.fma(FloatVector.broadcast(F, wp[wi + 5]), c5);
            c6 = b.fma(FloatVector.broadcast(F, wp[wi + 6]), c6);
            c7 = b.fma(FloatVector.broadcast(F, wp[wi + 7]), c7);
        }
        ((IntVector) c0.convert(VectorOperators.F2I, 0)).add(bias[bo]).intoArray(acc, ao);
        ((IntVector) c1.convert(VectorOperators.F2I, 0)).add(bias[bo + 1]).intoArray(acc, ao + lda);
        ((IntVector) c2.convert(VectorOperators.F2I, 0)).add(bias[bo + 2]).intoArray(acc, ao + 2 * lda);
        ((IntVector) c3.convert(VectorOperators.F2I, 0)).add(bias[bo + 3]).intoArray(acc, ao + 3 * lda);
        ((IntVector) c4.convert(VectorOperators.F2I, 0)).add(bias[bo + 4]).intoArray(acc, ao + 4 * lda);
        ((IntVector) c5.convert(VectorOperators.F2I, 0)).add(bias[bo + 5]).intoArray(acc, ao + 5 * lda);
        ((IntVector) c6.convert(VectorOperators.F2I, 0)).add(bias[bo + 6]).intoArray(acc, ao + 6 * lda);
        ((IntVector) c7.convert(VectorOperators.F2I, 0)).add(bias[bo + 7]).intoArray(acc, ao + 7 * lda);
    }

    /**
     * sum_i a[ao + i] * b[i] for i in [0, n), as int32, for integer operands whose partial sums are
     * exact in float32 (see {@link #tile2f}); b has L values of slack past n.
     */
    static int dot(float[] a, int ao, float[] b, int n) {
        FloatVector s = FloatVector.zero(F);
        int i = 0;
        for (; i <= n - L; i += L) {
            s = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, i), s);
        }
        int r = (int) s.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            r += (int) (a[ao + i] * b[i]);
        }
        return r;
    }

    /**
     * One depthwise output grid: acc[i] = bias + sum_t wt[wo + t] * planes[tapOff[t] + i] for i in
     * [0, n) rounded up to whole vectors (planes and acc have that slack), each run of L outputs
     * accumulated in a register over all taps. The planes hold integers as float32.
     */
    static void depthwiseGrid(float[] planes, byte[] wt, int wo, int[] tapOff, int bias, int[] acc, int n) {
        int taps = tapOff.length;
        IntVector vb = IntVector.broadcast(I, bias);
        for (int i = 0; i < n; i += L) {
            IntVector a = vb;
            for (int t = 0; t < taps; t++) {
                IntVector x = (IntVector) FloatVector.fromArray(F, planes, tapOff[t] + i).convert(VectorOperators.F2I, 0);
                a = a.add(x.mul(wt[wo + t]));
            }
            a.intoArray(acc, i);
        }
    }

    /** As {@link #depthwiseGrid} with float32 multiply-adds, for sums exact in float32 (see {@link #tile2f}). */
    static void depthwiseGridF(float[] planes, float[] wt, int wo, int[] tapOff, int bias, int[] acc, int n) {
        int taps = tapOff.length;
        if (taps == 9) {
            depthwiseGrid9F(planes, wt, wo, tapOff, bias, acc, n);
            return;
        }
        IntVector vb = IntVector.broadcast(I, bias);
        for (int i = 0; i < n; i += L) {
            FloatVector a = FloatVector.zero(F);
            for (int t = 0; t < taps; t++) {
                a = FloatVector.fromArray(F, planes, tapOff[t] + i).fma(FloatVector.broadcast(F, wt[wo + t]), a);
            }
            ((IntVector) a.convert(VectorOperators.F2I, 0)).add(vb).intoArray(acc, i);
        }
    }

    /**
     * {@link #depthwiseGridF} for 3x3 kernels: the nine weights and tap offsets held in registers, each
     * vector of outputs summed in three independent chains.
     */
    static void depthwiseGrid9F(float[] planes, float[] wt, int wo, int[] tapOff, int bias, int[] acc, int n) {
        FloatVector w0 = FloatVector.broadcast(F, wt[wo]);
        FloatVector w1 = FloatVector.broadcast(F, wt[wo + 1]);
        FloatVector w2 = FloatVector.broadcast(F, wt[wo + 2]);
        FloatVector w3 = FloatVector.broadcast(F, wt[wo + 3]);
        FloatVector w4 = FloatVector.broadcast(F, wt[wo + 4]);
        FloatVector w5 = FloatVector.broadcast(F, wt[wo + 5]);
        FloatVector w6 = FloatVector.broadcast(F, wt[wo + 6]);
        FloatVector w7 = FloatVector.broadcast(F, wt[wo + 7]);
        FloatVector w8 = FloatVector.broadcast(F, wt[wo + 8]);
        int t0 = tapOff[0];
        int t1 = tapOff[1];
        int t2 = tapOff[2];
        int t3 = tapOff[3];
        int t4 = tapOff[4];
        int t5 = tapOff[5];
        int t6 = tapOff[6];
        int t7 = tapOff[7];
        int t8 = tapOff[8];
        IntVector vb = IntVector.broadcast(I, bias);
        int i = 0;
        for (; i < n; i += L) {
            FloatVector a = FloatVector.fromArray(F, planes, t0 + i).mul(w0);
            FloatVector b = FloatVector.fromArray(F, planes, t1 + i).mul(w1);
            FloatVector c = FloatVector.fromArray(F, planes, t2 + i).mul(w2);
            a = FloatVector.fromArray(F, planes, t3 + i).fma(w3, a);
            b = FloatVector.fromArray(F, planes, t4 + i).fma(w4, b);
            c = FloatVector.fromArray(F, planes, t5 + i).fma(w5, c);
            a = FloatVector.fromArray(F, planes, t6 + i).fma(w6, a);
            b = FloatVector.fromArray(F, planes, t7 + i).fma(w7, b);
            c = FloatVector.fromArray(F, planes, t8 + i).fma(w8, c);
            ((IntVector) a.add(b).add(c).convert(VectorOperators.F2I, 0)).add(vb).intoArray(acc, i);
        }
    }

    /**
     * acc[ao + j] = {@link QuantMath#requantize}(acc[ao + j], mult, 0, lo, hi) for j in [0, n), in place;
     * needs |lo|, |hi| at most {@link #ROUNDER_RANGE}. The same float32 operations in the same order:
     * int to float, one multiply, the clamp (NaN to lo), then round half to even.
     */
    static void requantize(int[] acc, int ao, int n, float mult, int lo, int hi) {
        FloatVector m = FloatVector.broadcast(F, mult);
        FloatVector min = FloatVector.broadcast(F, (float) lo);
        FloatVector max = FloatVector.broadcast(F, (float) hi);
        FloatVector r = FloatVector.broadcast(F, ROUNDER);
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector v = ((FloatVector) IntVector.fromArray(I, acc, ao + j).convert(VectorOperators.I2F, 0)).mul(m);
            v = v.blend(min, v.compare(VectorOperators.GE, min).not()).min(max);
            v = v.add(r).sub(r);
            ((IntVector) v.convert(VectorOperators.F2I, 0)).intoArray(acc, ao + j);
        }
        for (; j < n; j++) {
            acc[ao + j] = QuantMath.requantize(acc[ao + j], mult, 0, lo, hi);
        }
    }

    /**
     * y[at + j] = (byte) {@link QuantMath#requantize}(acc[ao + j], mult, 0, lo, hi) for j in [0, n): the
     * operations of {@link #requantize}, each vector narrowed to bytes in registers; needs {@link #B}
     * and -128 <= lo, hi <= 127.
     */
    static void requantizeBytes(int[] acc, int ao, int n, float mult, int lo, int hi, byte[] y, int at) {
        FloatVector m = FloatVector.broadcast(F, mult);
        FloatVector min = FloatVector.broadcast(F, (float) lo);
        FloatVector max = FloatVector.broadcast(F, (float) hi);
        FloatVector r = FloatVector.broadcast(F, ROUNDER);
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector v = ((FloatVector) IntVector.fromArray(I, acc, ao + j).convert(VectorOperators.I2F, 0)).mul(m);
            v = v.blend(min, v.compare(VectorOperators.GE, min).not()).min(max);
            v = v.add(r).sub(r);
            ((ByteVector) v.convert(VectorOperators.F2I, 0).convertShape(VectorOperators.I2B, B, 0)).intoArray(y, at + j);
        }
        for (; j < n; j++) {
            y[at + j] = (byte) QuantMath.requantize(acc[ao + j], mult, 0, lo, hi);
        }
    }
}
