package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.ExecContext;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Base of the Reduce* operators: parses axes (an attribute before {@link #axesInputOpset()}, the
 * optional second input from then on), keepdims and noop_with_empty_axes, infers the output shape
 * and runs the reduction over the {@link Reduction} layout.
 *
 * <p>Float types accumulate in double; integer types in long (Mean truncates like ONNX Runtime),
 * except L2, LogSum and LogSumExp, which go through double. Reducing over an empty set gives the
 * operation's identity: 0 for sums and norms, 1 for Prod, -inf for Max, LogSum and LogSumExp,
 * +inf for Min (the type's limits for integers) and NaN for Mean. With noop_with_empty_axes and no
 * axes, nothing is reduced but the per-element part of the operation still applies.
 */
abstract class ReduceOp extends Op {
    enum Kind { SUM, MEAN, MAX, MIN, PROD, L1, L2, SUM_SQUARE, LOG_SUM, LOG_SUM_EXP }

    abstract Kind kind();

    /** The opset from which axes is an input rather than an attribute (13 for ReduceSum, else 18). */
    int axesInputOpset() {
        return 18;
    }

    private boolean axesFromInput(OpContext ctx) {
        return ctx.opset() >= axesInputOpset();
    }

    /** The axes known before running: null when they are a non-constant input; empty when absent. */
    private long[] staticAxes(OpContext ctx) {
        if (!axesFromInput(ctx)) {
            return ctx.attrs().getInts("axes", new long[0]);
        }
        if (!ctx.hasInput(1)) {
            return new long[0];
        }
        Tensor c = ctx.constant(1);
        return c == null ? null : c.toLongArray();
    }

    private boolean noopWithEmptyAxes(OpContext ctx) {
        return axesFromInput(ctx) && ctx.attrs().getInt("noop_with_empty_axes", 0) != 0;
    }

    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        int[] shape = ctx.inputShape(0);
        boolean keepdims = ctx.attrs().getInt("keepdims", 1) != 0;
        long[] axes = staticAxes(ctx);
        if (shape == null) {
            ctx.setOutput(0, t, (int[]) null);
            return;
        }
        if (axes == null) {
            if (!keepdims) {
                ctx.setOutput(0, t, (int[]) null);
                return;
            }
            int[] out = new int[shape.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = shape[i] == 1 ? 1 : -1;
            }
            ctx.setOutput(0, t, out);
            return;
        }
        if (axes.length == 0 && noopWithEmptyAxes(ctx)) {
            Infer.sameAsInput(ctx, 0, 0);
            return;
        }
        boolean[] mask;
        try {
            mask = axes.length == 0 ? Reduction.allAxes(shape.length) : Reduction.axesMask(axes, shape.length);
        } catch (IllegalArgumentException e) {
            throw ctx.error(e.getMessage());
        }
        ctx.setOutput(0, t, Reduction.reducedShape(shape, mask, keepdims));
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        final boolean keepdims = ctx.attrs().getInt("keepdims", 1) != 0;
        final boolean noop = noopWithEmptyAxes(ctx);
        final boolean fromInput = axesFromInput(ctx);
        final long[] attrAxes = fromInput ? null : ctx.attrs().getInts("axes", new long[0]);
        if (fromInput && ctx.attrs().has("axes")) {
            throw ctx.error("axes is an input from opset " + axesInputOpset() + ", not an attribute (opset "
                    + ctx.opset() + ")");
        }
        final Kind kind = kind();
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

    private void checkType(OpContext ctx, DType t) {
        boolean minMax = kind() == Kind.MAX || kind() == Kind.MIN;
        if (t == DType.BOOL ? !minMax : !(t.isFloatingPoint() || t.isInteger())) {
            throw ctx.error(type() + " does not accept " + t + " tensors");
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
