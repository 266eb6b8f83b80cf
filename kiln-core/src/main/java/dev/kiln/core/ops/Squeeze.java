package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.Kernel;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Squeeze: removes dims of size 1, those listed in axes (an attribute before opset 13, an optional
 * input since), or all of them when axes is absent. Shares the data.
 */
public final class Squeeze extends Op {
    @Override
    public int opcode() {
        return 68;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    /** The listed axes; null when absent (squeeze every 1). */
    private static long[] axes(OpContext ctx, Tensor input) {
        if (ctx.opset() < 13) {
            return ctx.attrs().getInts("axes", null);
        }
        return input == null ? null : ShapeArgs.longs(input, "axes");
    }

    /** Which dims are removed; dims of unknown size are kept unless listed. */
    private static boolean[] removed(long[] axes, int[] shape) {
        boolean[] drop = new boolean[shape.length];
        if (axes == null) {
            for (int i = 0; i < shape.length; i++) {
                drop[i] = shape[i] == 1;
            }
            return drop;
        }
        for (int a : ShapeArgs.axes(axes, shape.length, "axes")) {
            if (shape[a] >= 0 && shape[a] != 1) {
                throw new IllegalArgumentException("cannot squeeze axis " + a + " of size " + shape[a]);
            }
            drop[a] = true;
        }
        return drop;
    }

    @Override
    public void infer(OpContext ctx) {
        Dim[] dims = Infer.dims(ctx, 0);
        boolean axesKnown = ctx.opset() < 13 || !ctx.hasInput(1) || ctx.constant(1) != null;
        long[] axes = axesKnown ? axes(ctx, ctx.hasInput(1) ? ctx.constant(1) : null) : null;
        int[] shape = ctx.inputShape(0);
        if (dims == null || !axesKnown || (axes == null && !ShapeArgs.isStatic(shape))) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        boolean[] drop = removed(axes, shape);
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            if (!drop[i]) {
                out.add(dims[i]);
            }
        }
        ctx.setOutput(0, ctx.inputDtype(0), out.toArray(new Dim[0]));
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        long[] fixed = ctx.opset() < 13 ? axes(ctx, null) : null;
        boolean fromInput = ctx.opset() >= 13;
        return (in, ec) -> {
            long[] axes = fromInput ? axes(ctx, in.length > 1 ? in[1] : null) : fixed;
            int[] shape = in[0].shape();
            boolean[] drop = removed(axes, shape);
            int k = 0;
            for (boolean b : drop) {
                k += b ? 0 : 1;
            }
            int[] out = new int[k];
            k = 0;
            for (int i = 0; i < shape.length; i++) {
                if (!drop[i]) {
                    out[k++] = shape[i];
                }
            }
            return new Tensor[] {in[0].reshape(out)};
        };
    }
}
