package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * InstanceNormalization: each (sample, channel) plane of x [N, C, D1...] is normalized by its own
 * mean and variance, {@code y = scale[c] * (x - mean) / sqrt(var + epsilon) + B[c]}.
 */
public final class InstanceNormalization extends Op {
    @Override
    public int opcode() {
        return 6;
    }

    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        if (t != null && !t.isFloatingPoint()) {
            throw ctx.error("expects a floating-point input, found " + t);
        }
        int[] shape = ctx.inputShape(0);
        if (shape != null && shape.length < 2) {
            throw ctx.error("input must have rank >= 2 (N x C x ...), found rank " + shape.length);
        }
        Infer.sameAsInput(ctx, 0, 0);
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        final double eps = ctx.attrs().getFloat("epsilon", 1e-5f);
        if (!ctx.hasInput(1) || !ctx.hasInput(2)) {
            throw ctx.error("scale and B inputs are required");
        }
        return (in, ec) -> {
            Tensor x = in[0];
            if (x.rank() < 2) {
                throw new IllegalArgumentException("InstanceNormalization input must have rank >= 2, found "
                        + Shapes.toString(x.shape()));
            }
            int c = x.dim(1);
            int rows = x.dim(0) * c;
            int count = Shapes.product(x.shape(), 2, x.rank());
            if (in[1].size() != c || in[2].size() != c) {
                throw new IllegalArgumentException("InstanceNormalization scale and B must have " + c
                        + " elements (one per channel), found " + in[1].size() + " and " + in[2].size());
            }
            return new Tensor[] {GroupNormalization.normalizeGroups(x, rows, count, eps,
                    r -> in[1].getDouble(r % c), r -> in[2].getDouble(r % c), 0, ec)};
        };
    }
}
