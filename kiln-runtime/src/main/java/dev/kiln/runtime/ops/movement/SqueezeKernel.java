package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Squeeze: removes dims of size 1, those listed in axes (an attribute before opset 13, an optional
 * input since), or all of them when axes is absent. Shares the data.
 */
public final class SqueezeKernel extends NamedFactory {
    public static final SqueezeKernel INSTANCE = new SqueezeKernel();

    private SqueezeKernel() {
        super("Squeeze", 68);
    }

    /** The listed axes (the attribute before opset 13, else the given input); null when absent (squeeze every 1). */
    public static long[] axes(KernelContext ctx, Tensor input) {
        if (ctx.opset() < 13) {
            return ctx.attrs().getInts("axes", null);
        }
        return inputAxes(input);
    }

    private static long[] inputAxes(Tensor input) {
        return input == null ? null : ShapeArgs.longs(input, "axes");
    }

    /** Which dims are removed; dims of unknown size are kept unless listed. */
    public static boolean[] removed(long[] axes, int[] shape) {
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
    public Kernel prepare(KernelContext ctx) {
        long[] fixed = ctx.opset() < 13 ? axes(ctx, null) : null;
        boolean fromInput = ctx.opset() >= 13;
        return (in, ec) -> {
            long[] axes = fromInput ? inputAxes(in.length > 1 ? in[1] : null) : fixed;
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
