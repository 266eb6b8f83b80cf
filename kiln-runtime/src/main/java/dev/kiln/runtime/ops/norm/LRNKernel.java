package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * LRN (local response normalization across channels) of x [N, C, D1...]:
 * {@code y = x / (bias + alpha / size * square_sum) ^ beta}, where square_sum adds x^2 over the
 * channels {@code c - floor((size - 1) / 2) .. c + ceil((size - 1) / 2)} that exist.
 */
public final class LRNKernel extends NamedFactory {
    public static final LRNKernel INSTANCE = new LRNKernel();

    private LRNKernel() {
        super("LRN", 8);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        if (!ctx.attrs().has("size")) {
            throw ctx.error("attribute size is required");
        }
        final long size = ctx.attrs().getInt("size", 1);
        if (size <= 0) {
            throw ctx.error("size must be positive, found " + size);
        }
        final double alpha = ctx.attrs().getFloat("alpha", 1e-4f);
        final double beta = ctx.attrs().getFloat("beta", 0.75f);
        final double bias = ctx.attrs().getFloat("bias", 1.0f);
        final int before = (int) ((size - 1) / 2);
        final int after = (int) (size - 1 - before);
        final double scale = alpha / size;
        return (in, ec) -> {
            Tensor x = in[0];
            if (x.rank() < 2) {
                throw new IllegalArgumentException("LRN input must have rank >= 2, found " + Shapes.toString(x.shape()));
            }
            int c = x.dim(1);
            int s = Shapes.product(x.shape(), 2, x.rank());
            Tensor out = Tensor.allocate(x.dtype(), x.shape());
            boolean f32 = x.dtype() == DType.FLOAT;
            float[] xf = x.dtype().isFloatStorage() ? x.floats() : null;
            float[] yf = f32 ? out.floats() : null;
            ec.parallel().forRange(x.dim(0) * c, ReduceKernels.grain(s * (int) Math.min(size, c)), (from, to) -> {
                double[] acc = new double[s];
                for (int p = from; p < to; p++) {
                    int n = p / c, ch = p % c;
                    java.util.Arrays.fill(acc, 0);
                    for (int k = Math.max(0, ch - before); k <= Math.min(c - 1, ch + after); k++) {
                        int base = (n * c + k) * s;
                        if (xf != null) {
                            for (int i = 0; i < s; i++) {
                                double v = xf[base + i];
                                acc[i] += v * v;
                            }
                        } else {
                            for (int i = 0; i < s; i++) {
                                double v = x.getDouble(base + i);
                                acc[i] += v * v;
                            }
                        }
                    }
                    int base = p * s;
                    for (int i = 0; i < s; i++) {
                        double div = Math.pow(bias + scale * acc[i], beta);
                        if (yf != null) {
                            yf[base + i] = (float) (xf[base + i] / div);
                        } else {
                            out.setDouble(base + i, x.getDouble(base + i) / div);
                        }
                    }
                }
            });
            return new Tensor[] {out};
        };
    }
}
