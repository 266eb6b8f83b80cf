package dev.kiln.runtime.ops.nn;

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
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/** MatMul with numpy semantics: 1-D operands promoted, batch dimensions broadcast. */
public final class MatMulKernel extends NamedFactory {
    public static final MatMulKernel INSTANCE = new MatMulKernel();

    private MatMulKernel() {
        super("MatMul", 4);
    }

    /** numpy matmul output shape (-1 for unknown dims), or null when a rank is unknown. */
    public static int[] outputShape(int[] a, int[] b) {
        if (a == null || b == null) {
            return null;
        }
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("MatMul operands must have rank >= 1");
        }
        int[] aa = a.length == 1 ? new int[] {1, a[0]} : a;
        int[] bb = b.length == 1 ? new int[] {b[0], 1} : b;
        int ka = aa[aa.length - 1];
        int kb = bb[bb.length - 2];
        if (ka >= 0 && kb >= 0 && ka != kb) {
            throw new IllegalArgumentException("MatMul inner dimensions differ: " + Arrays.toString(a) + " x "
                    + Arrays.toString(b));
        }
        int[] batch = Shapes.broadcastPartial(Arrays.copyOf(aa, aa.length - 2), Arrays.copyOf(bb, bb.length - 2));
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = aa[aa.length - 2];
        out[batch.length + 1] = bb[bb.length - 1];
        if (a.length == 1 && b.length == 1) {
            return new int[0];
        }
        if (a.length == 1) {
            return removeAxis(out, out.length - 2);
        }
        if (b.length == 1) {
            return removeAxis(out, out.length - 1);
        }
        return out;
    }

    private static int[] removeAxis(int[] s, int axis) {
        int[] r = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != axis) {
                r[j++] = s[i];
            }
        }
        return r;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        // a constant 2-D float B (the weights of a linear layer) is packed once, on first use
        Tensor bConst = ctx.constant(1);
        AtomicReference<PackedGemm.PackedB> packedB = new AtomicReference<>();
        return (in, ec) -> new Tensor[] {multiply(in[0], in[1], ec.parallel(),
                bConst != null && in[1] == bConst && bConst.rank() == 2 && bConst.dtype() == DType.FLOAT ? packedB : null)};
    }

    static Tensor multiply(Tensor a, Tensor b, Parallel par) {
        return multiply(a, b, par, null);
    }

    /** @param packedB where the packing of a constant 2-D float B is kept across calls, or null */
    static Tensor multiply(Tensor a, Tensor b, Parallel par, AtomicReference<PackedGemm.PackedB> packedB) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("MatMul operands have different types " + a.dtype() + " and " + b.dtype());
        }
        int[] outShape = outputShape(a.shape(), b.shape());
        int[] as = a.rank() == 1 ? new int[] {1, a.dim(0)} : a.shape();
        int[] bs = b.rank() == 1 ? new int[] {b.dim(0), 1} : b.shape();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        int[] batchA = Arrays.copyOf(as, as.length - 2);
        int[] batchB = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shapes.broadcast(batchA, batchB);
        int nb = Shapes.size(batch);
        int[] ia = Shapes.broadcastIndex(batchA, batch);
        int[] ib = Shapes.broadcastIndex(batchB, batch);
        DType t = a.dtype();
        if (FloatCompute.isFloatType(t)) {
            float[] af = FloatCompute.toFloat(a).floats();
            float[] bf = FloatCompute.toFloat(b).floats();
            if (batchB.length == 0 && nb > 1) {
                // one B for every batch of A (a linear layer on [..., m, k] activations): the
                // batches are consecutive rows of one tall product
                m *= nb;
                nb = 1;
                ia = new int[] {0};
                ib = new int[] {0};
            }
            Tensor y = Tensor.allocateForOverwrite(DType.FLOAT, outShape);
            float[] yf = y.floats();
            PackedGemm gemm = PackedGemm.standard();
            BPacker shared = null;
            if (packedB != null && m > 1) {
                PackedGemm.PackedB pb = packedB.get();
                if (pb == null) {
                    pb = gemm.packB(bf, 0, n, k, n, false);
                    packedB.compareAndSet(null, pb);
                }
                shared = pb;
            }
            for (int i = 0; i < nb; i++) {
                if (m == 1) {
                    // one row: B read in place, no packing
                    Gemv.axpy(af, ia[i] * k, bf, ib[i] * k * n, n, k, n, yf, i * n, par);
                    continue;
                }
                PackedGemm.PackedA pa = gemm.packA(af, ia[i] * m * k, k, m, k, false);
                BPacker bp = shared != null ? shared : new MatrixB(bf, ib[i] * k * n, n, n, false);
                gemm.multiply(pa, bp, n, yf, i * m * n, n, null, 0,
                        Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, par);
            }
            return FloatCompute.toType(y, t);
        }
        if (!t.isInteger()) {
            throw new IllegalArgumentException("MatMul does not accept " + t + " tensors");
        }
        Tensor y = Tensor.allocate(t, outShape);
        for (int i = 0; i < nb; i++) {
            int ao = ia[i] * m * k;
            int bo = ib[i] * k * n;
            int yo = i * m * n;
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < n; c++) {
                    long acc = 0;
                    for (int kk = 0; kk < k; kk++) {
                        acc += a.getLong(ao + r * k + kk) * b.getLong(bo + kk * n + c);
                    }
                    y.setLong(yo + r * n + c, acc);
                }
            }
        }
        return y;
    }

    /**
     * Integer MatMul: quantized A of any rank times either a 2-D int8 weight B (per-column scales
     * along axis 1, or one scale) or a quantized activation B of the same batch shape.
     */
    @Override
    public Kernel prepareInteger(KernelContext ctx, IntegerParams q) {
        if (!q.isQuantizedInput(0)) {
            return null;
        }
        Tensor w = q.weight(1);
        DType outType = q.outputType(0);
        int lo = q.lo(0);
        int hi = q.hi(0);
        if (w != null) {
            if (w.rank() != 2 || (q.weightScales(1).length != 1 && q.weightAxis(1) != 1)) {
                return null;
            }
            int k = w.dim(0);
            int n = w.dim(1);
            int[] wv = IntMatMulSupport.values(w);
            float[] mult = IntegerSupport.multipliers(q.inputScale(0), q.weightScales(1), q.outputScale(0),
                    q.weightScales(1).length == 1 ? 1 : n);
            return (in, ec) -> {
                Tensor a = in[0];
                if (a.rank() < 2 || a.dim(a.rank() - 1) != k) {
                    throw new IllegalArgumentException("integer MatMul: A of shape " + java.util.Arrays.toString(a.shape())
                            + " does not fit B of " + k + " rows");
                }
                int[] shape = a.shape().clone();
                shape[shape.length - 1] = n;
                int rows = a.size() / k;
                Tensor y = IntegerSupport.allocate(outType, shape);
                dev.kiln.runtime.quant.IntMatMul.multiply(IntMatMulSupport.values(a), 0, wv, 0, false, rows, k, n, null,
                        mult, lo, hi, IntegerSupport.bytesOrNull(y), IntegerSupport.shortsOrNull(y), 0, ec.parallel());
                return new Tensor[] {y};
            };
        }
        if (!q.isQuantizedInput(1)) {
            return null;
        }
        float[] mult = {dev.kiln.runtime.quant.QuantMath.requantMultiplier(q.inputScale(0), q.inputScale(1), q.outputScale(0))};
        return (in, ec) -> {
            Tensor a = in[0];
            Tensor b = in[1];
            if (a.rank() < 2 || b.rank() < 2 || a.rank() != b.rank()
                    || !java.util.Arrays.equals(java.util.Arrays.copyOf(a.shape(), a.rank() - 2),
                    java.util.Arrays.copyOf(b.shape(), b.rank() - 2))) {
                throw new IllegalArgumentException("integer MatMul of two activations needs equal batch shapes, found "
                        + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(b.shape()));
            }
            int m = a.dim(a.rank() - 2);
            int k = a.dim(a.rank() - 1);
            int n = b.dim(b.rank() - 1);
            int batches = a.size() / (m * k);
            int[] shape = a.shape().clone();
            shape[shape.length - 1] = n;
            Tensor y = IntegerSupport.allocate(outType, shape);
            int[] av = IntMatMulSupport.values(a);
            int[] bv = IntMatMulSupport.values(b);
            for (int i = 0; i < batches; i++) {
                dev.kiln.runtime.quant.IntMatMul.multiply(av, i * m * k, bv, i * k * n, false, m, k, n, null, mult, lo, hi,
                        IntegerSupport.bytesOrNull(y), IntegerSupport.shortsOrNull(y), i * m * n, ec.parallel());
            }
            return new Tensor[] {y};
        };
    }
}
