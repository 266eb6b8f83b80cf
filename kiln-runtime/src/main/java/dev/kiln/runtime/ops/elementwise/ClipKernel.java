package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Clip: min(max(x, lo), hi). Bounds are attributes {@code min}/{@code max} before opset 11 and
 * optional scalar inputs from opset 11 (integer types from opset 12). A missing bound is the type's
 * lowest/highest finite value, as in ONNX Runtime (so infinities are clipped to the finite range).
 * When lo &gt; hi every element becomes hi.
 */
public final class ClipKernel extends NamedFactory {
    private static final float BF16_MAX = Float.intBitsToFloat(0x7f7f0000);

    public static final ClipKernel INSTANCE = new ClipKernel();

    private ClipKernel() {
        super("Clip", 14);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && !t.isFloatingPoint() && !t.isInteger()) {
            throw ctx.error(Elementwise.typeError(opType(), t));
        }
        if (ctx.opset() < 11) {
            Tensor lo = ctx.attrs().has("min") ? Tensor.scalar(ctx.attrs().getFloat("min", 0f)) : null;
            Tensor hi = ctx.attrs().has("max") ? Tensor.scalar(ctx.attrs().getFloat("max", 0f)) : null;
            return (in, ec) -> new Tensor[] {clip(in[0], lo, hi, ec)};
        }
        for (int i = 1; i <= 2; i++) {
            DType b = ctx.inputDtype(i);
            if (ctx.hasInput(i) && t != null && b != null && b != t) {
                throw ctx.error(BOUND[i] + " must have the input's type " + t + ", found " + b);
            }
        }
        return (in, ec) -> new Tensor[] {clip(in[0], bound(in, 1), bound(in, 2), ec)};
    }

    private static final String[] BOUND = {"input", "min", "max"};

    /** Bound input i (a one-element tensor), or null when omitted. */
    private static Tensor bound(Tensor[] in, int i) {
        if (i >= in.length || in[i] == null) {
            return null;
        }
        Tensor b = in[i];
        if (b.size() != 1) {
            throw new IllegalArgumentException(BOUND[i] + " must be a scalar, found shape "
                    + java.util.Arrays.toString(b.shape()));
        }
        return b;
    }

    private static Tensor clip(Tensor x, Tensor lo, Tensor hi, ExecContext ec) {
        DType t = x.dtype();
        Tensor out = Tensor.allocateForOverwrite(t, x.shape());
        int n = x.size();
        if (t.isFloatStorage()) {
            float max = t == DType.FLOAT ? Float.MAX_VALUE : t == DType.FLOAT16 ? 65504f : BF16_MAX;
            float[] b = {lo == null ? -max : lo.getFloat(0), hi == null ? max : hi.getFloat(0)};
            Elementwise.roundTo(t, b, 0, 2); // opset 6 float attributes on a half tensor
            float l = b[0];
            float h = b[1];
            float[] a = x.floats(), o = out.floats();
            ec.parallel().forRange(n, Elementwise.GRAIN, (from, to) -> {
                for (int i = from; i < to; i++) o[i] = Math.min(Math.max(a[i], l), h);
            });
        } else if (t == DType.DOUBLE) {
            double l = lo == null ? -Double.MAX_VALUE : lo.getDouble(0);
            double h = hi == null ? Double.MAX_VALUE : hi.getDouble(0);
            double[] a = x.doubles(), o = out.doubles();
            for (int i = 0; i < n; i++) o[i] = Math.min(Math.max(a[i], l), h);
        } else if (t == DType.UINT64) {
            long l = lo == null ? 0 : lo.getLong(0);
            long h = hi == null ? -1 : hi.getLong(0);
            for (int i = 0; i < n; i++) {
                long v = x.getLong(i);
                v = Long.compareUnsigned(v, l) < 0 ? l : v;
                out.setLong(i, Long.compareUnsigned(v, h) > 0 ? h : v);
            }
        } else if (t.isInteger()) {
            long l = lo == null ? Long.MIN_VALUE : lo.getLong(0);
            long h = hi == null ? Long.MAX_VALUE : hi.getLong(0);
            for (int i = 0; i < n; i++) out.setLong(i, Math.min(Math.max(x.getLong(i), l), h));
        } else {
            throw new IllegalArgumentException(Elementwise.typeError("Clip", t));
        }
        return out;
    }
}
