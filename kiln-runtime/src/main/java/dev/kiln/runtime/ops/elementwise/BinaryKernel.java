package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.kernels.Broadcast;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.IntegerParams;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;

/**
 * Kernels of two-input elementwise operators with numpy broadcasting (Add, Mul, Equal, And...), and
 * of the variadic ones (Max, Min, Sum, Mean) which fold their inputs pairwise. The output has the
 * inputs' element type unless {@link #outputType} says otherwise (BOOL for comparisons). Float
 * types compute in float32 (half types rounded after each operation, except that variadic folds
 * accumulate in float32 and round once, as ONNX Runtime does), DOUBLE in double, integer types in
 * long (wrapped to the type on store).
 *
 * <p>The float32 loop over one broadcast run is {@link #applyFloats}; hot ops override it with
 * loops specialised for the three stride patterns a run can have (see {@link Broadcast}).
 * Opset 1-6 nodes with {@code broadcast=1, axis=k} get the legacy alignment of B at axis k.
 */
public abstract class BinaryKernel extends NamedFactory {
    protected BinaryKernel(String opType, int opcode) {
        super(opType, opcode);
    }

    protected abstract double apply(double a, double b);

    protected float applyFloat(float a, float b) {
        return (float) apply(a, b);
    }

    /**
     * One run of the float32 loop: out[o + k] = f(x[a + k*sa], y[b + k*sb]) for k in [0, n). The
     * strides are 1 or 0; sa and sb are never both 0 unless n is 1.
     */
    protected void applyFloats(float[] x, int a, int sa, float[] y, int b, int sb, float[] out, int o, int n) {
        for (int k = 0; k < n; k++) out[o + k] = applyFloat(x[a + k * sa], y[b + k * sb]);
    }

    /** Integer version; ops that accept integer tensors override it and {@link #acceptsIntegers}. */
    protected long applyLong(long a, long b) {
        throw new UnsupportedOperationException(opType() + " does not accept integer tensors");
    }

    /** UINT64 version (operands hold unsigned bit patterns); defaults to {@link #applyLong}. */
    protected long applyUnsigned64(long a, long b) {
        return applyLong(a, b);
    }

    protected boolean acceptsIntegers() {
        return true;
    }

    /** Whether the op takes inputs of this element type (floats, and integers when accepted). */
    protected boolean accepts(DType t) {
        return t.isFloatingPoint() || (t.isInteger() && acceptsIntegers());
    }

    /** Output element type for the given input type (the input's type by default). */
    public DType outputType(DType input) {
        return input;
    }

    /** True for Max/Min/Sum/Mean: any number of inputs, folded left to right. */
    public boolean variadic() {
        return false;
    }

    /** Last step of a variadic fold over {@code count} inputs (Mean divides); the accumulator by default. */
    protected Tensor finish(Tensor acc, int count, ExecContext ec) {
        return acc;
    }

    /** Attribute parsing hook for ops such as Mod(fmod). */
    protected BinaryKernel configure(KernelContext ctx) {
        return this;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        for (int i = 0; i < ctx.inputCount(); i++) {
            DType t = ctx.inputDtype(i);
            if (t != null && !accepts(t)) {
                throw ctx.error(Elementwise.typeError(opType(), t));
            }
        }
        if (!variadic() && ctx.inputCount() != 2) {
            throw ctx.error("expected 2 inputs, found " + ctx.inputCount());
        }
        if (ctx.inputCount() == 0) {
            throw ctx.error("expected at least one input");
        }
        BinaryKernel f = configure(ctx);
        int axis = Elementwise.legacyAxis(ctx);
        if (!variadic()) {
            return (in, ec) -> new Tensor[] {
                f.compute(in[0], Elementwise.alignLegacy(in[1], in[0].rank(), axis), ec)};
        }
        return (in, ec) -> {
            // half types accumulate in float32 and round once at the end, as ONNX Runtime does
            DType t = in[0].dtype();
            boolean half = t == DType.FLOAT16 || t == DType.BFLOAT16;
            Tensor acc = half ? in[0].castTo(DType.FLOAT) : in[0];
            for (int i = 1; i < in.length; i++) {
                if (in[i].dtype() != t) {
                    throw new IllegalArgumentException(opType() + " inputs have different element types: " + t
                            + " and " + in[i].dtype());
                }
                acc = f.compute(acc, half ? in[i].castTo(DType.FLOAT) : in[i], ec);
            }
            acc = f.finish(acc, in.length, ec);
            return new Tensor[] {half ? acc.castTo(t) : acc};
        };
    }

    /** f(a, b) with broadcasting. */
    private Tensor compute(Tensor a, Tensor b, ExecContext ec) {
        Parallel par = ec.parallel();
        DType t = a.dtype();
        if (t != b.dtype()) {
            throw new IllegalArgumentException(opType() + " inputs have different element types: " + t
                    + " and " + b.dtype());
        }
        if (!accepts(t)) {
            throw new IllegalArgumentException(Elementwise.typeError(opType(), t));
        }
        int[] shape = Shapes.broadcast(a.shape(), b.shape());
        DType ot = outputType(t);
        Tensor out = Tensor.allocateForOverwrite(ot, shape);
        int grain = Elementwise.GRAIN;
        if (t.isFloatStorage() && ot == t) {
            float[] x = a.floats(), y = b.floats(), o = out.floats();
            Broadcast.forEach(a.shape(), b.shape(), shape, par, grain, (oo, ia, sa, ib, sb, n) -> {
                applyFloats(x, ia, sa, y, ib, sb, o, oo, n);
                Elementwise.roundTo(t, o, oo, oo + n);
            });
        } else if (t.isFloatStorage()) {
            float[] x = a.floats(), y = b.floats();
            Broadcast.forEach(a.shape(), b.shape(), shape, par, grain, (oo, ia, sa, ib, sb, n) -> {
                for (int k = 0; k < n; k++) out.setDouble(oo + k, applyFloat(x[ia + k * sa], y[ib + k * sb]));
            });
        } else if (t == DType.DOUBLE && ot == t) {
            double[] x = a.doubles(), y = b.doubles(), o = out.doubles();
            Broadcast.forEach(a.shape(), b.shape(), shape, par, grain, (oo, ia, sa, ib, sb, n) -> {
                for (int k = 0; k < n; k++) o[oo + k] = apply(x[ia + k * sa], y[ib + k * sb]);
            });
        } else if (t == DType.DOUBLE) {
            double[] x = a.doubles(), y = b.doubles();
            Broadcast.forEach(a.shape(), b.shape(), shape, par, grain, (oo, ia, sa, ib, sb, n) -> {
                for (int k = 0; k < n; k++) out.setDouble(oo + k, apply(x[ia + k * sa], y[ib + k * sb]));
            });
        } else if (t == DType.UINT64) {
            Broadcast.forEach(a.shape(), b.shape(), shape, par, grain, (oo, ia, sa, ib, sb, n) -> {
                for (int k = 0; k < n; k++) {
                    out.setLong(oo + k, applyUnsigned64(a.getLong(ia + k * sa), b.getLong(ib + k * sb)));
                }
            });
        } else {
            Broadcast.forEach(a.shape(), b.shape(), shape, par, grain, (oo, ia, sa, ib, sb, n) -> {
                for (int k = 0; k < n; k++) out.setLong(oo + k, applyLong(a.getLong(ia + k * sa), b.getLong(ib + k * sb)));
            });
        }
        return out;
    }

    /** The index of the input that is a constant scalar while the other is not, or -1. */
    private static int constantScalarInput(KernelContext ctx) {
        if (ctx.inputCount() != 2 || !ctx.hasInput(0) || !ctx.hasInput(1)) {
            return -1;
        }
        for (int i = 0; i < 2; i++) {
            Tensor c = ctx.constant(i);
            if (c != null && c.size() == 1 && ctx.constant(1 - i) == null) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The integer kernel of a binary op with one constant scalar operand: f(x, c) (or f(c, x)) as a
     * 256-entry table, clamped to a fused activation's range. Other cases: none here (Add, Sub and
     * Mul of two quantized tensors override this).
     */
    @Override
    public Kernel prepareInteger(KernelContext ctx, IntegerParams q) {
        int ci = constantScalarInput(ctx);
        Tensor c = ci < 0 ? null : ctx.constant(ci);
        if (c == null || !q.isQuantizedInput(1 - ci) || q.outputType(0) != DType.INT8 || c.dtype() != DType.FLOAT
                || outputType(DType.FLOAT) != DType.FLOAT) {
            return null;
        }
        BinaryKernel f = configure(ctx);
        float cv = c.getFloat(0);
        boolean constFirst = ci == 0;
        byte[] table = QuantMath.lookupTable(
                x -> constFirst ? f.applyFloat(cv, x) : f.applyFloat(x, cv), q.inputScale(1 - ci), q.outputScale(0));
        return UnaryKernel.lookupKernel(table, q, opType(), 1 - ci, c);
    }
}
