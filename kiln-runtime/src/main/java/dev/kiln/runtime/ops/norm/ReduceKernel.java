package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * The Reduce* operators: parses axes (an attribute before {@link #axesInputOpset()}, the optional
 * second input from then on), keepdims and noop_with_empty_axes, and runs the reduction over the
 * {@link Reduction} layout.
 *
 * <p>Float types accumulate in double; integer types in long (Mean truncates like ONNX Runtime),
 * except L2, LogSum and LogSumExp, which go through double. Reducing over an empty set gives the
 * operation's identity: 0 for sums and norms, 1 for Prod, -inf for Max, LogSum and LogSumExp,
 * +inf for Min (the type's limits for integers) and NaN for Mean. With noop_with_empty_axes and no
 * axes, nothing is reduced but the per-element part of the operation still applies.
 */
public final class ReduceKernel extends NamedFactory {
    enum Kind { SUM, MEAN, MAX, MIN, PROD, L1, L2, SUM_SQUARE, LOG_SUM, LOG_SUM_EXP }

    public static final ReduceKernel SUM = new ReduceKernel("ReduceSum", 84, Kind.SUM, 13);
    public static final ReduceKernel MEAN = new ReduceKernel("ReduceMean", 81, Kind.MEAN, 18);
    public static final ReduceKernel MAX = new ReduceKernel("ReduceMax", 82, Kind.MAX, 18);
    public static final ReduceKernel MIN = new ReduceKernel("ReduceMin", 83, Kind.MIN, 18);
    public static final ReduceKernel PROD = new ReduceKernel("ReduceProd", 85, Kind.PROD, 18);
    public static final ReduceKernel L1 = new ReduceKernel("ReduceL1", 86, Kind.L1, 18);
    public static final ReduceKernel L2 = new ReduceKernel("ReduceL2", 87, Kind.L2, 18);
    public static final ReduceKernel SUM_SQUARE = new ReduceKernel("ReduceSumSquare", 89, Kind.SUM_SQUARE, 18);
    public static final ReduceKernel LOG_SUM = new ReduceKernel("ReduceLogSum", 144, Kind.LOG_SUM, 18);
    public static final ReduceKernel LOG_SUM_EXP = new ReduceKernel("ReduceLogSumExp", 88, Kind.LOG_SUM_EXP, 18);

    private final Kind kind;
    private final int axesInputOpset;

    private ReduceKernel(String opType, int opcode, Kind kind, int axesInputOpset) {
        super(opType, opcode);
        this.kind = kind;
        this.axesInputOpset = axesInputOpset;
    }

    /** The opset from which axes is an input rather than an attribute (13 for ReduceSum, else 18). */
    public int axesInputOpset() {
        return axesInputOpset;
    }

    public boolean axesFromInput(KernelContext ctx) {
        return ctx.opset() >= axesInputOpset;
    }

    public boolean noopWithEmptyAxes(KernelContext ctx) {
        return axesFromInput(ctx) && ctx.attrs().getInt("noop_with_empty_axes", 0) != 0;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        final boolean keepdims = ctx.attrs().getInt("keepdims", 1) != 0;
        final boolean noop = noopWithEmptyAxes(ctx);
        final boolean fromInput = axesFromInput(ctx);
        final long[] attrAxes = fromInput ? null : ctx.attrs().getInts("axes", new long[0]);
        if (fromInput && ctx.attrs().has("axes")) {
            throw ctx.error("axes is an input from opset " + axesInputOpset + ", not an attribute (opset "
                    + ctx.opset() + ")");
        }
        DType t = ctx.inputDtype(0);
        if (t != null) {
            checkType(ctx, t);
        }
        return (in, ec) -> {
            Tensor x = in[0];
            long[] axes = fromInput ? (in.length > 1 && in[1] != null ? in[1].toLongArray() : new long[0]) : attrAxes;
            if (axes.length == 0 && noop) {
                // nothing is reduced, but like ONNX Runtime the per-element part still applies
                // (|x| for L1 and L2, x^2 for SumSquare, log(x) for LogSum)
                boolean plain = kind == Kind.SUM || kind == Kind.MEAN || kind == Kind.MAX || kind == Kind.MIN
                        || kind == Kind.PROD;
                return new Tensor[] {plain ? x : reduce(kind, x, new boolean[x.rank()], true, ec)};
            }
            boolean[] mask = axes.length == 0 ? Reduction.allAxes(x.rank()) : Reduction.axesMask(axes, x.rank());
            return new Tensor[] {reduce(kind, x, mask, keepdims, ec)};
        };
    }

    private void checkType(KernelContext ctx, DType t) {
        boolean minMax = kind == Kind.MAX || kind == Kind.MIN;
        if (t == DType.BOOL ? !minMax : !(t.isFloatingPoint() || t.isInteger())) {
            throw ctx.error(opType() + " does not accept " + t + " tensors");
        }
    }

    /** Reduces the masked axes of x. */
    static Tensor reduce(Kind kind, Tensor x, boolean[] mask, boolean keepdims, ExecContext ec) {
        Reduction r = Reduction.plan(x.shape(), mask);
        Tensor arranged = r.arrange(x);
        Tensor out = Tensor.allocate(x.dtype(), Reduction.reducedShape(x.shape(), mask, keepdims));
        DType t = x.dtype();
        boolean viaDouble = kind == Kind.L2 || kind == Kind.LOG_SUM || kind == Kind.LOG_SUM_EXP;
        if (t.isFloatStorage()) {
            double[] res = ReduceKernels.floats(arranged.floats(), r, kind, ec);
            if (t == DType.FLOAT) {
                float[] o = out.floats();
                for (int i = 0; i < res.length; i++) o[i] = (float) res[i];
            } else {
                for (int i = 0; i < res.length; i++) out.setDouble(i, res[i]);
            }
        } else if (t == DType.DOUBLE || viaDouble) {
            double[] values;
            if (t == DType.DOUBLE) {
                values = arranged.doubles();
            } else {
                values = new double[arranged.size()];
                for (int i = 0; i < values.length; i++) values[i] = arranged.getDouble(i);
            }
            double[] res = ReduceKernels.doubles(values, r, kind, ec);
            for (int i = 0; i < res.length; i++) out.setDouble(i, res[i]);
        } else {
            long[] values = arranged.toLongArray();
            long[] res = ReduceKernels.longs(values, r, kind, t);
            for (int i = 0; i < res.length; i++) out.setLong(i, res[i]);
        }
        return out;
    }
}
