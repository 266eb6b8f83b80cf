package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * InstanceNormalization: each (sample, channel) plane of x [N, C, D1...] is normalized by its own
 * mean and variance, {@code y = scale[c] * (x - mean) / sqrt(var + epsilon) + B[c]}.
 */
public final class InstanceNormalizationKernel extends NamedFactory {
    public static final InstanceNormalizationKernel INSTANCE = new InstanceNormalizationKernel();

    private InstanceNormalizationKernel() {
        super("InstanceNormalization", 6);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
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
            return new Tensor[] {GroupNormalizationKernel.normalizeGroups(x, rows, count, eps,
                    r -> in[1].getDouble(r % c), r -> in[2].getDouble(r % c), 0, ec)};
        };
    }
}
