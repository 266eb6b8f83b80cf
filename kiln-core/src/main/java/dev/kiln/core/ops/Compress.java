package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.movement.Movement;
import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.Tensor;

/**
 * Compress: keeps the slices along axis whose condition entry is true (a 1-D bool tensor, which
 * may be shorter than the dim: missing entries count as false;
 * entries past the dim are ignored). Without axis the input is read
 * flattened and the output is 1-D.
 */
public final class Compress extends Op {
    @Override
    public int opcode() {
        return 139;
    }

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

    @Override
    public Kernel prepare(OpContext ctx) {
        boolean hasAxis = ctx.attrs().has("axis");
        long axisValue = ctx.attrs().getInt("axis", 0);
        return (in, ec) -> {
            Tensor x = hasAxis ? in[0] : in[0].reshape(in[0].size());
            Tensor cond = in[1];
            if (cond.rank() != 1) {
                throw new IllegalArgumentException("condition must be 1-D, found rank " + cond.rank());
            }
            int axis = ShapeArgs.axis(axisValue, x.rank(), "axis");
            int dim = x.dim(axis);
            // entries past the dim are ignored, as ONNX Runtime does
            int n = Math.min(cond.size(), dim);
            int count = 0;
            for (int i = 0; i < n; i++) {
                count += cond.getBool(i) ? 1 : 0;
            }
            int[] idx = new int[count];
            for (int i = 0, k = 0; i < n; i++) {
                if (cond.getBool(i)) {
                    idx[k++] = i;
                }
            }
            int[] out = x.shape().clone();
            out[axis] = count;
            return new Tensor[] {Movement.gatherAxis(x, axis, idx, out, ec.parallel())};
        };
    }
}
