package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Unsqueeze: inserts dims of size 1 at the given axes of the output (an attribute before opset 13,
 * an input since; negative from opset 11, counted against the output rank). Shares the data.
 */
public final class UnsqueezeKernel extends NamedFactory {
    public static final UnsqueezeKernel INSTANCE = new UnsqueezeKernel();

    private UnsqueezeKernel() {
        super("Unsqueeze", 69);
    }

    /** Which output dims are the inserted ones. */
    public static boolean[] inserted(long[] axes, int inRank) {
        int outRank = inRank + axes.length;
        boolean[] ins = new boolean[outRank];
        for (int a : ShapeArgs.axes(axes, outRank, "axes")) {
            ins[a] = true;
        }
        return ins;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        long[] fixed = ctx.opset() < 13 ? ctx.attrs().getInts("axes", null) : null;
        if (ctx.opset() < 13 && fixed == null) {
            throw ctx.error("needs the axes attribute at opset " + ctx.opset());
        }
        return (in, ec) -> {
            long[] axes = fixed != null ? fixed : ShapeArgs.longs(in[1], "axes");
            int[] shape = in[0].shape();
            boolean[] ins = inserted(axes, shape.length);
            int[] out = new int[ins.length];
            for (int i = 0, k = 0; i < out.length; i++) {
                out[i] = ins[i] ? 1 : shape[k++];
            }
            return new Tensor[] {in[0].reshape(out)};
        };
    }
}
