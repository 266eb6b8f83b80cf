package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.IntegerParams;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * Kernels of one-input, one-output elementwise operators (Relu, Sigmoid, Abs...). Float types are
 * computed in float32 (float16/bfloat16 results rounded to their format), double in double;
 * integer inputs are accepted only by ops that override {@link #applyLong}.
 *
 * <p>The float32 loop is {@link #applyFloats}; ops on the hot path of CNNs override it with their
 * own tight loop so the JIT sees one monomorphic, vectorisable body per op instead of a virtual
 * call per element. The skeleton (allocation, type dispatch, parallel split) stays here.
 */
public abstract class UnaryKernel extends NamedFactory {
    protected UnaryKernel(String opType, int opcode) {
        super(opType, opcode);
    }

    /** The kernel of an operator that is just a function of x in double precision, with no attributes. */
    public static UnaryKernel of(String opType, int opcode, DoubleUnaryOperator f) {
        return new UnaryKernel(opType, opcode) {
            @Override
            protected double apply(double x) {
                return f.applyAsDouble(x);
            }
        };
    }

    /** The function in double precision (used for DOUBLE and as the default for float). */
    protected abstract double apply(double x);

    /** The function in float32; override when a float formula differs from casting apply(). */
    protected float applyFloat(float x) {
        return (float) apply(x);
    }

    /** Applies the function to x[from, to) into out[from, to); hot ops override with a specialised loop. */
    protected void applyFloats(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = applyFloat(x[i]);
    }

    /** Integer version; ops that accept integer tensors override this and {@link #acceptsIntegers}. */
    protected long applyLong(long x) {
        throw new UnsupportedOperationException(opType() + " does not accept integer tensors");
    }

    /** UINT64 version (x holds the unsigned bit pattern); defaults to {@link #applyLong}. */
    protected long applyUnsigned64(long x) {
        return applyLong(x);
    }

    protected boolean acceptsIntegers() {
        return false;
    }

    /** Whether the op takes tensors of this element type. */
    protected boolean accepts(DType t) {
        return t.isFloatingPoint() || (t.isInteger() && acceptsIntegers());
    }

    /** Parses attributes into a function of x; ops with attributes override this. */
    protected UnaryKernel configure(KernelContext ctx) {
        return this;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && !accepts(t)) {
            throw ctx.error(Elementwise.typeError(opType(), t));
        }
        UnaryKernel f = configure(ctx);
        return (in, ec) -> new Tensor[] {f.compute(in[0], ec)};
    }

    private Tensor compute(Tensor x, ExecContext ec) {
        DType t = x.dtype();
        if (!accepts(t)) {
            throw new IllegalArgumentException(Elementwise.typeError(opType(), t));
        }
        Tensor out = Tensor.allocateForOverwrite(t, x.shape());
        int n = x.size();
        switch (t) {
            case FLOAT: case FLOAT16: case BFLOAT16: {
                float[] a = x.floats(), o = out.floats();
                ec.parallel().forRange(n, Elementwise.GRAIN, (from, to) -> {
                    applyFloats(a, o, from, to);
                    Elementwise.roundTo(t, o, from, to);
                });
                break;
            }
            case DOUBLE: {
                double[] a = x.doubles(), o = out.doubles();
                for (int i = 0; i < n; i++) o[i] = apply(a[i]);
                break;
            }
            case UINT64:
                for (int i = 0; i < n; i++) out.setLong(i, applyUnsigned64(x.getLong(i)));
                break;
            default:
                for (int i = 0; i < n; i++) out.setLong(i, applyLong(x.getLong(i)));
        }
        return out;
    }

    /**
     * The integer kernel of every one-input elementwise op: a 256-entry table from each int8 input
     * value to its int8 output, {@code quantize(f(dequantize(q)))} with the float32 function, clamped
     * to a fused activation's range (SPEC section 8). int16 falls back to the float kernel.
     */
    @Override
    public Kernel prepareInteger(KernelContext ctx, IntegerParams q) {
        if (!q.isQuantizedInput(0) || q.outputType(0) != DType.INT8) {
            return null;
        }
        UnaryKernel f = configure(ctx);
        return lookupKernel(QuantMath.lookupTable(f::applyFloat, q.inputScale(0), q.outputScale(0)), q, opType(), 0, null);
    }

    /**
     * Runs a 256-entry int8 table, clamped first to output 0's range, on input {@code xi} broadcast
     * to {@code other}'s shape when given.
     */
    static Kernel lookupKernel(byte[] table, IntegerParams q, String opType, int xi, Tensor other) {
        int lo = q.lo(0);
        int hi = q.hi(0);
        for (int i = 0; i < 256; i++) {
            table[i] = (byte) Math.min(Math.max(table[i], lo), hi);
        }
        return (in, ec) -> {
            Tensor x = in[xi];
            if (x.dtype() != DType.INT8) {
                throw new IllegalArgumentException("integer " + opType + " needs an int8 input, found " + x.dtype());
            }
            int[] shape = x.shape();
            if (other != null) {
                shape = Shapes.broadcast(x.shape(), other.shape());
                if (!Arrays.equals(shape, x.shape())) {
                    x = x.gather(Shapes.broadcastIndex(x.shape(), shape), shape);
                }
            }
            Tensor y = Tensor.allocateForOverwrite(DType.INT8, shape);
            QuantMath.applyLookupTable(table, x.bytes(), 0, y.bytes(), 0, x.size());
            return new Tensor[] {y};
        };
    }
}
