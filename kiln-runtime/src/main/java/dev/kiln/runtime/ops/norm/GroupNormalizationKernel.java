package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.function.IntToDoubleFunction;

/**
 * GroupNormalization: the channels of x [N, C, D1...] are split into num_groups groups, and each
 * (sample, group) is normalized by its mean and variance, then scaled and shifted. Opset 18 gives
 * scale and bias one value per group; opset 21 one value per channel (either layout is accepted
 * by its size). Statistics are computed in double (stash_type float or better).
 */
public final class GroupNormalizationKernel extends NamedFactory {
    public static final GroupNormalizationKernel INSTANCE = new GroupNormalizationKernel();

    private GroupNormalizationKernel() {
        super("GroupNormalization", 145);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        final double eps = ctx.attrs().getFloat("epsilon", 1e-5f);
        if (!ctx.attrs().has("num_groups")) {
            throw ctx.error("attribute num_groups is required");
        }
        final long groupsAttr = ctx.attrs().getInt("num_groups", 1);
        if (groupsAttr <= 0) {
            throw ctx.error("num_groups must be positive, found " + groupsAttr);
        }
        final int groups = (int) groupsAttr;
        return (in, ec) -> {
            Tensor x = in[0];
            if (x.rank() < 2) {
                throw new IllegalArgumentException("GroupNormalization input must have rank >= 2, found "
                        + Shapes.toString(x.shape()));
            }
            int c = x.dim(1);
            if (c % groups != 0) {
                throw new IllegalArgumentException("GroupNormalization: " + c + " channels cannot be split into "
                        + groups + " groups");
            }
            int spatial = Shapes.product(x.shape(), 2, x.rank());
            int perGroup = c / groups;
            int count = perGroup * spatial;
            Tensor scale = in[1], bias = in[2];
            boolean perChannel = scale.size() == c && bias.size() == c;
            if (!perChannel && (scale.size() != groups || bias.size() != groups)) {
                throw new IllegalArgumentException("GroupNormalization scale and bias must have " + c
                        + " (per channel) or " + groups + " (per group) elements, found " + scale.size()
                        + " and " + bias.size());
            }
            // rows are (n, g); element j of row r belongs to channel g * perGroup + j / spatial
            IntToDoubleFunction s = perChannel ? k -> scale.getDouble(k) : k -> scale.getDouble(k / perGroup);
            IntToDoubleFunction b = perChannel ? k -> bias.getDouble(k) : k -> bias.getDouble(k / perGroup);
            return new Tensor[] {normalizeGroups(x, x.dim(0) * groups, count, eps,
                    k -> s.applyAsDouble(k % c), k -> b.applyAsDouble(k % c), spatial, ec)};
        };
    }

    /**
     * Normalizes each of {@code rows} contiguous runs of {@code count} elements by its mean and
     * variance, then applies a scale and a bias that are constant over runs of {@code sub}
     * elements: unit {@code u} (counted over the whole tensor, {@code u = (row * count + j) / sub})
     * gets {@code scale(u)} and {@code bias(u)}. With {@code sub == 0} the unit is the row.
     */
    static Tensor normalizeGroups(Tensor x, int rows, int count, double eps, IntToDoubleFunction scale,
                                  IntToDoubleFunction bias, int sub, ExecContext ec) {
        int unitLen = sub == 0 ? count : sub;
        int units = unitLen == 0 ? 0 : x.size() / unitLen;
        float[] us = new float[units], ub = new float[units];
        double[] usd = new double[units], ubd = new double[units];
        for (int u = 0; u < units; u++) {
            usd[u] = scale.applyAsDouble(u);
            ubd[u] = bias.applyAsDouble(u);
            us[u] = (float) usd[u];
            ub[u] = (float) ubd[u];
        }
        Tensor out = Tensor.allocate(x.dtype(), x.shape());
        if (x.dtype() == DType.DOUBLE) {
            double[] xv = x.doubles(), yv = out.doubles();
            double[][] m = ReduceKernels.moments(xv, rows, count);
            for (int r = 0; r < rows; r++) {
                double mean = m[0][r], inv = 1.0 / Math.sqrt(m[1][r] + eps);
                for (int j = 0, i = r * count; j < count; j++, i++) {
                    int u = i / unitLen;
                    yv[i] = (xv[i] - mean) * inv * usd[u] + ubd[u];
                }
            }
            return out;
        }
        float[] xv = x.floats();
        float[] yv = x.dtype() == DType.FLOAT ? out.floats() : new float[x.size()];
        double[][] m = ReduceKernels.moments(xv, rows, count, ec);
        ec.parallel().forRange(rows, ReduceKernels.grain(count), (from, to) -> {
            for (int r = from; r < to; r++) {
                float mean = (float) m[0][r];
                float inv = (float) (1.0 / Math.sqrt(m[1][r] + eps));
                for (int start = r * count, end = start + count; start < end; ) {
                    int u = start / unitLen;
                    int stop = Math.min(end, (u + 1) * unitLen);
                    float a = inv * us[u], b = ub[u];
                    for (int i = start; i < stop; i++) yv[i] = (xv[i] - mean) * a + b;
                    start = stop;
                }
            }
        });
        if (x.dtype() != DType.FLOAT) {
            for (int i = 0; i < yv.length; i++) out.setDouble(i, yv[i]);
        }
        return out;
    }
}
