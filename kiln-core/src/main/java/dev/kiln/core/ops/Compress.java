package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.CompressKernel;
import dev.kiln.runtime.ops.movement.ShapeArgs;

import dev.kiln.runtime.tensor.Tensor;

/**
 * Compress: keeps the slices along axis whose condition entry is true (missing entries count as
 * false, entries past the dim are ignored). Without axis the input is read flattened and the
 * output is 1-D. Kernel: {@link CompressKernel}.
 */
public final class Compress extends Op {
    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] s = ctx.inputShape(0);
        Tensor cond = ctx.constant(1);
        if (!ctx.attrs().has("axis")) {
            long total = s == null ? -1 : ShapeArgs.knownProduct(s, 0, s.length);
            ctx.setOutput(0, ctx.inputDtype(0), new int[] {selected(cond, total)});
            return;
        }
        if (s == null) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        int a = ShapeArgs.axis(ctx.attrs().getInt("axis", 0), s.length, "axis");
        int[] out = s.clone();
        out[a] = selected(cond, s[a]);
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }

    /** How many of the first dim entries of a known condition are true; -1 when either is unknown. */
    private static int selected(Tensor cond, long dim) {
        if (cond == null || dim < 0) {
            return -1;
        }
        int count = 0;
        for (int i = 0; i < Math.min(cond.size(), dim); i++) {
            count += cond.getBool(i) ? 1 : 0;
        }
        return count;
    }
}
