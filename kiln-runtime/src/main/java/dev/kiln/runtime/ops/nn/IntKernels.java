package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;

import java.util.Arrays;

/**
 * Reference int32 accumulation of the integer convolutions and matrix products (ConvInteger,
 * QLinearConv, MatMulInteger, QLinearMatMul): plain loops over operands whose zero points are
 * already subtracted. Sums are int32 and wrap on overflow as ONNX Runtime's do (which needs
 * more than 33 000 products of extreme 8-bit values).
 */
final class IntKernels {
    private IntKernels() {
    }

    /** Operand values minus zero points: {@code v[i] - zp[zpIndex(i)]}, as int. */
    static int[] minusZeroPoint(Tensor t, Tensor zp, String what) {
        int[] v = QuantParams.ints(t);
        if (zp != null) {
            QuantParams.requireScalar(zp, what);
            int z = (int) zp.getLong(0);
            for (int i = 0; i < v.length; i++) {
                v[i] -= z;
            }
        }
        return v;
    }

    // ---- convolution -------------------------------------------------------------------------

    /**
     * Grouped N-D convolution: acc[n, m, p] = sum over the group's channels c and kernel offsets
     * kk of x[n, c, input(p, kk)] * w[m, c, kk] (+ bias[m]), padding reading zero.
     *
     * @param x input values [N, C, spatial...] with the zero point subtracted
     * @param w weights [M, C / group, kernel...] with each output channel's zero point subtracted
     * @param bias int32 per output channel, or null
     */
    static int[] conv(int[] x, int[] xShape, int[] w, int[] wShape, int[] bias, IntConvGeometry.Resolved g,
                      int group, Parallel par) {
        int batches = xShape[0];
        int channels = xShape[1];
        int outChannels = wShape[0];
        int groupChannels = wShape[1];
        int groupOut = outChannels / group;
        int inSize = g.inputSize();
        int outSize = g.outputSize();
        int kSize = g.kernelSize();
        int[] table = g.gatherTable();
        // each input channel gets one extra zero element that padded positions read
        int stride = inSize + 1;
        int[] xp = new int[batches * channels * stride];
        for (int nc = 0; nc < batches * channels; nc++) {
            System.arraycopy(x, nc * inSize, xp, nc * stride, inSize);
        }
        int[] acc = new int[batches * outChannels * outSize];
        par.forRange(batches * outChannels, 1, (from, to) -> {
            for (int nm = from; nm < to; nm++) {
                int n = nm / outChannels;
                int m = nm % outChannels;
                int firstChannel = (m / groupOut) * groupChannels;
                int o = nm * outSize;
                for (int c = 0; c < groupChannels; c++) {
                    int xBase = (n * channels + firstChannel + c) * stride;
                    int wBase = (m * groupChannels + c) * kSize;
                    for (int kk = 0; kk < kSize; kk++) {
                        int wv = w[wBase + kk];
                        if (wv == 0) {
                            continue;
                        }
                        int t = kk * outSize;
                        for (int p = 0; p < outSize; p++) {
                            acc[o + p] += wv * xp[xBase + table[t + p]];
                        }
                    }
                }
                if (bias != null) {
                    int b = bias[m];
                    for (int p = 0; p < outSize; p++) {
                        acc[o + p] += b;
                    }
                }
            }
        });
        return acc;
    }

    /** Weights minus per-output-channel zero points (zp a scalar or 1-D of length M). */
    static int[] weightsMinusZeroPoint(Tensor w, Tensor zp) {
        int[] v = QuantParams.ints(w);
        if (zp == null) {
            return v;
        }
        int m = w.dim(0);
        int[] z = perChannel(zp, m, "w_zero_point");
        int per = m == 0 ? 0 : v.length / m;
        for (int i = 0; i < v.length; i++) {
            v[i] -= z[i / per];
        }
        return v;
    }

    /** A scalar or 1-D parameter expanded to one value per channel (as ints). */
    static int[] perChannel(Tensor p, int channels, String what) {
        checkPerChannel(p, channels, what);
        int[] v = new int[channels];
        for (int c = 0; c < channels; c++) {
            v[c] = (int) p.getLong(p.size() == 1 ? 0 : c);
        }
        return v;
    }

    /** A scalar or 1-D scale expanded to one value per channel. */
    static float[] perChannelScale(Tensor p, int channels, String what) {
        checkPerChannel(p, channels, what);
        float[] v = new float[channels];
        for (int c = 0; c < channels; c++) {
            v[c] = p.getFloat(p.size() == 1 ? 0 : c);
        }
        return v;
    }

    private static void checkPerChannel(Tensor p, int channels, String what) {
        boolean ok = p.size() == 1 && p.rank() <= 1 || p.rank() == 1 && p.dim(0) == channels;
        if (!ok) {
            throw new IllegalArgumentException(what + " must be a scalar or 1-D of length " + channels
                    + " (one per output channel), found shape " + Shapes.toString(p.shape()));
        }
    }

    // ---- matrix product ----------------------------------------------------------------------

    /** numpy matmul geometry: 1-D operands promoted, batch dims broadcast. */
    static final class MatMulShape {
        final int[] a;
        final int[] b;
        final int[] out;
        final int m;
        final int k;
        final int n;
        final int batches;
        final int[] aBatch;
        final int[] bBatch;

        MatMulShape(int[] aShape, int[] bShape) {
            if (aShape.length == 0 || bShape.length == 0) {
                throw new IllegalArgumentException("matrix product operands must have rank >= 1, found "
                        + Shapes.toString(aShape) + " and " + Shapes.toString(bShape));
            }
            a = aShape.length == 1 ? new int[] {1, aShape[0]} : aShape;
            b = bShape.length == 1 ? new int[] {bShape[0], 1} : bShape;
            m = a[a.length - 2];
            k = a[a.length - 1];
            n = b[b.length - 1];
            if (b[b.length - 2] != k) {
                throw new IllegalArgumentException("cannot multiply " + Shapes.toString(aShape) + " by "
                        + Shapes.toString(bShape) + ": inner dimensions " + k + " and " + b[b.length - 2] + " differ");
            }
            int[] aB = Arrays.copyOf(a, a.length - 2);
            int[] bB = Arrays.copyOf(b, b.length - 2);
            int[] batch = Shapes.broadcast(aB, bB);
            batches = Shapes.size(batch);
            aBatch = Shapes.broadcastIndex(aB, batch);
            bBatch = Shapes.broadcastIndex(bB, batch);
            int[] o = Arrays.copyOf(batch, batch.length + 2);
            o[batch.length] = m;
            o[batch.length + 1] = n;
            if (aShape.length == 1 && bShape.length == 1) {
                out = batch;
            } else if (aShape.length == 1) {
                out = remove(o, batch.length);
            } else if (bShape.length == 1) {
                out = remove(o, batch.length + 1);
            } else {
                out = o;
            }
        }

        private static int[] remove(int[] s, int i) {
            int[] r = new int[s.length - 1];
            System.arraycopy(s, 0, r, 0, i);
            System.arraycopy(s, i + 1, r, i, s.length - i - 1);
            return r;
        }

        /**
         * For each (operand batch, row of A) — or (operand batch, column of B) — the index of its
         * quantization parameter in p: p is a scalar, a 1-D vector with one value per row
         * (column), or has the operand's shape with the last (for B: second-to-last) dim 1.
         */
        int[] paramIndex(Tensor p, boolean ofA, String what) {
            int[] op = ofA ? a : b;
            int rank = op.length;
            int count = ofA ? m : n;
            int opBatches = Shapes.product(op, 0, rank - 2);
            int[] idx = new int[opBatches * count];
            if (p.size() == 1) {
                return idx;
            }
            boolean vector = p.rank() == 1 && p.dim(0) == count;
            boolean full = p.rank() == rank;
            for (int d = 0; full && d < rank; d++) {
                int want = d == (ofA ? rank - 1 : rank - 2) ? 1 : op[d];
                full = p.dim(d) == want;
            }
            if (!vector && !full) {
                int[] want = op.clone();
                want[ofA ? rank - 1 : rank - 2] = 1;
                throw new IllegalArgumentException(what + " must be a scalar, 1-D of length " + count + " or of shape "
                        + Shapes.toString(want) + ", found " + Shapes.toString(p.shape()));
            }
            for (int i = 0; i < idx.length; i++) {
                idx[i] = vector ? i % count : i;
            }
            return idx;
        }

        /** A's values minus their (per-row) zero points, laid out [A batches, M, K]. */
        int[] aMinusZeroPoint(Tensor aT, Tensor zp) {
            int[] v = QuantParams.ints(aT);
            if (zp != null) {
                int[] idx = paramIndex(zp, true, "the zero point of A");
                for (int i = 0; i < v.length; i++) {
                    v[i] -= (int) zp.getLong(idx[i / k]);
                }
            }
            return v;
        }

        /** B's values minus their (per-column) zero points, laid out [B batches, K, N]. */
        int[] bMinusZeroPoint(Tensor bT, Tensor zp) {
            int[] v = QuantParams.ints(bT);
            if (zp != null) {
                int[] idx = paramIndex(zp, false, "the zero point of B");
                for (int i = 0; i < v.length; i++) {
                    int batch = i / (k * n);
                    v[i] -= (int) zp.getLong(idx[batch * n + i % n]);
                }
            }
            return v;
        }

        /** acc[batch, i, j] = sum over kk of a[aBatch, i, kk] * b[bBatch, kk, j]. */
        int[] multiply(int[] av, int[] bv, Parallel par) {
            int[] acc = new int[batches * m * n];
            par.forRange(batches * m, Math.max(1, 4096 / Math.max(1, k * n)), (from, to) -> {
                for (int row = from; row < to; row++) {
                    int batch = row / m;
                    int i = row % m;
                    int aBase = (aBatch[batch] * m + i) * k;
                    int bBase = bBatch[batch] * k * n;
                    int o = row * n;
                    for (int kk = 0; kk < k; kk++) {
                        int x = av[aBase + kk];
                        if (x == 0) {
                            continue;
                        }
                        int bRow = bBase + kk * n;
                        for (int j = 0; j < n; j++) {
                            acc[o + j] += x * bv[bRow + j];
                        }
                    }
                }
            });
            return acc;
        }
    }
}
