package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.kernels.Broadcast;
import dev.kiln.runtime.kernels.gemm.BPacker;
import dev.kiln.runtime.kernels.gemm.Gemv;
import dev.kiln.runtime.kernels.gemm.MatrixB;
import dev.kiln.runtime.kernels.gemm.PackedGemm;
import dev.kiln.runtime.ops.IntegerParams;
import dev.kiln.runtime.ops.IntegerSupport;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/** Gemm: Y = alpha * A' * B' + beta * C, A' and B' optionally transposed, C broadcast to Y. */
public final class GemmKernel extends NamedFactory {
    public static final GemmKernel INSTANCE = new GemmKernel();

    private GemmKernel() {
        super("Gemm", 3);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        float alpha = ctx.attrs().getFloat("alpha", 1f);
        float beta = ctx.attrs().getFloat("beta", 1f);
        boolean ta = ctx.attrs().getInt("transA", 0) != 0;
        boolean tb = ctx.attrs().getInt("transB", 0) != 0;
        // a constant float B (the weights) is packed once, on the first call that needs it packed
        Tensor bConst = ctx.constant(1);
        java.util.concurrent.atomic.AtomicReference<PackedGemm.PackedB> packedB =
                new java.util.concurrent.atomic.AtomicReference<>();
        return (in, ec) -> {
            Tensor a = in[0];
            Tensor b = in[1];
            Tensor c = in.length > 2 ? in[2] : null;
            if (a.rank() != 2 || b.rank() != 2) {
                throw new IllegalArgumentException("Gemm needs 2-D A and B, found " + java.util.Arrays.toString(a.shape())
                        + " and " + java.util.Arrays.toString(b.shape()));
            }
            int m = ta ? a.dim(1) : a.dim(0);
            int k = ta ? a.dim(0) : a.dim(1);
            int kb = tb ? b.dim(1) : b.dim(0);
            int n = tb ? b.dim(0) : b.dim(1);
            if (k != kb) {
                throw new IllegalArgumentException("Gemm inner dimensions differ: A' is " + m + "x" + k + ", B' is " + kb + "x" + n);
            }
            DType t = a.dtype();
            Tensor y;
            if (FloatCompute.isFloatType(t)) {
                y = Tensor.allocateForOverwrite(DType.FLOAT, m, n);
                float[] af = FloatCompute.toFloat(a).floats();
                if (alpha != 1f) {
                    af = af.clone();
                    for (int i = 0; i < af.length; i++) {
                        af[i] *= alpha;
                    }
                }
                float[] bf = FloatCompute.toFloat(b).floats();
                if (m == 1) {
                    // one row (a classifier head): B read in place, no packing
                    if (tb) {
                        Gemv.dots(af, 0, bf, 0, k, k, n, y.floats(), 0, ec.parallel());
                    } else {
                        Gemv.axpy(af, 0, bf, 0, n, k, n, y.floats(), 0, ec.parallel());
                    }
                } else {
                    PackedGemm gemm = PackedGemm.standard();
                    PackedGemm.PackedA pa = gemm.packA(af, 0, a.dim(1), m, k, ta);
                    BPacker bp;
                    if (bConst != null && b == bConst) {
                        PackedGemm.PackedB pb = packedB.get();
                        if (pb == null) {
                            pb = gemm.packB(bf, 0, b.dim(1), k, n, tb);
                            packedB.compareAndSet(null, pb);
                        }
                        bp = pb;
                    } else {
                        bp = new MatrixB(bf, 0, b.dim(1), n, tb);
                    }
                    gemm.multiply(pa, bp, n, y.floats(), 0, n, null, 0,
                            Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, ec.parallel());
                }
                if (c != null && beta != 0f) {
                    float[] yf = y.floats();
                    float[] cf = FloatCompute.toFloat(c).floats();
                    Broadcast.forEach(c.shape(), y.shape(), y.shape(), (o, ic, sc, iy, sy, len) -> {
                        for (int j = 0; j < len; j++) {
                            yf[o + j] += beta * cf[ic + j * sc];
                        }
                    });
                }
                return new Tensor[] {FloatCompute.toType(y, t)};
            }
            if (!t.isInteger()) {
                throw new IllegalArgumentException("Gemm does not accept " + t + " tensors");
            }
            y = Tensor.allocate(t, m, n);
            for (int r = 0; r < m; r++) {
                for (int col = 0; col < n; col++) {
                    long acc = 0;
                    for (int kk = 0; kk < k; kk++) {
                        long av = ta ? a.getLong(kk * a.dim(1) + r) : a.getLong(r * a.dim(1) + kk);
                        long bv = tb ? b.getLong(col * b.dim(1) + kk) : b.getLong(kk * b.dim(1) + col);
                        acc += av * bv;
                    }
                    y.setLong(r * n + col, (long) alpha * acc);
                }
            }
            if (c != null && beta != 0f) {
                Tensor yy = y;
                Broadcast.forEach(c.shape(), y.shape(), y.shape(), (o, ic, sc, iy, sy, len) -> {
                    for (int j = 0; j < len; j++) {
                        yy.setLong(o + j, yy.getLong(o + j) + (long) beta * c.getLong(ic + j * sc));
                    }
                });
            }
            return new Tensor[] {y};
        };
    }

    /**
     * Integer Gemm: quantized A (not transposed), int8 B weight (transB given by the attribute), an
     * optional int32 bias C of length N, alpha = beta = 1; per-column multipliers from B's scales.
     */
    @Override
    public Kernel prepareInteger(KernelContext ctx, IntegerParams q) {
        Tensor w = q.weight(1);
        boolean ta = ctx.attrs().getInt("transA", 0) != 0;
        boolean tb = ctx.attrs().getInt("transB", 0) != 0;
        if (!q.isQuantizedInput(0) || w == null || ta || w.rank() != 2 || ctx.attrs().getFloat("alpha", 1f) != 1f
                || (ctx.hasInput(2) && (q.bias(2) == null || ctx.attrs().getFloat("beta", 1f) != 1f))) {
            return null;
        }
        int n = tb ? w.dim(0) : w.dim(1);
        int k = tb ? w.dim(1) : w.dim(0);
        Tensor bias = q.bias(2);
        if (bias != null && bias.size() != n) {
            return null;
        }
        int[] wv = IntMatMulSupport.values(w);
        float[] mult = IntegerSupport.multipliers(q.inputScale(0), q.weightScales(1), q.outputScale(0),
                q.weightScales(1).length == 1 ? 1 : n);
        int[] bv = IntegerSupport.biasValues(bias);
        DType outType = q.outputType(0);
        int lo = q.lo(0);
        int hi = q.hi(0);
        return (in, ec) -> {
            Tensor a = in[0];
            if (a.rank() != 2 || a.dim(1) != k) {
                throw new IllegalArgumentException("integer Gemm: A of shape " + java.util.Arrays.toString(a.shape())
                        + " does not fit B with K = " + k);
            }
            Tensor y = IntegerSupport.allocate(outType, new int[] {a.dim(0), n});
            dev.kiln.runtime.quant.IntMatMul.multiply(IntMatMulSupport.values(a), 0, wv, 0, tb, a.dim(0), k, n, bv, mult,
                    lo, hi, IntegerSupport.bytesOrNull(y), IntegerSupport.shortsOrNull(y), 0, ec.parallel());
            return new Tensor[] {y};
        };
    }
}
