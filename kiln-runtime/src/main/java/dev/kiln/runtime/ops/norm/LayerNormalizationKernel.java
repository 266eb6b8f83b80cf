package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * LayerNormalization (opset 17): each row of the trailing dimensions {@code shape[axis:]} is
 * normalized, {@code y = (x - mean) / sqrt(var + epsilon) * Scale + B}, with Scale and B
 * broadcastable to the normalized shape. The optional outputs Mean and InvStdDev have shape
 * {@code shape[:axis] + [1] * (rank - axis)} and the element type named by stash_type (float).
 */
public final class LayerNormalizationKernel extends NamedFactory {
    public static final LayerNormalizationKernel INSTANCE = new LayerNormalizationKernel();

    private LayerNormalizationKernel() {
        super("LayerNormalization", 7);
    }

    /** The element type of the Mean and InvStdDev outputs (stash_type, float by default). */
    public static DType stashType(KernelContext ctx) {
        long code = ctx.attrs().getInt("stash_type", 1);
        DType d = DType.fromOnnx((int) code);
        if (d == null || !d.isFloatingPoint()) {
            throw ctx.error("stash_type must be a floating-point element type, found " + DType.onnxName((int) code));
        }
        return d;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        final long axisAttr = ctx.attrs().getInt("axis", -1);
        final double eps = ctx.attrs().getFloat("epsilon", 1e-5f);
        final DType stash = stashType(ctx);
        final boolean wantMean = ctx.hasOutput(1), wantInv = ctx.hasOutput(2);
        return (in, ec) -> {
            Tensor x = in[0];
            int axis = Shapes.axis(axisAttr, x.rank());
            int rows = Shapes.product(x.shape(), 0, axis);
            int count = Shapes.product(x.shape(), axis, x.rank());
            int[] normShape = Arrays.copyOfRange(x.shape(), axis, x.rank());
            int[] si = paramIndex(in[1], normShape, "Scale");
            int[] bi = in.length > 2 && in[2] != null ? paramIndex(in[2], normShape, "B") : null;
            Tensor out = Tensor.allocate(x.dtype(), x.shape());
            double[][] m;
            if (x.dtype() == DType.DOUBLE) {
                double[] xv = x.doubles(), yv = out.doubles();
                double[] scale = gatherDoubles(in[1], si, count);
                double[] bias = in.length > 2 && in[2] != null ? gatherDoubles(in[2], bi, count) : new double[count];
                m = ReduceKernels.moments(xv, rows, count);
                for (int r = 0; r < rows; r++) {
                    double mean = m[0][r], inv = 1.0 / Math.sqrt(m[1][r] + eps);
                    for (int j = 0, i = r * count; j < count; j++, i++) {
                        yv[i] = (xv[i] - mean) * inv * scale[j] + bias[j];
                    }
                }
            } else {
                float[] xv = x.floats();
                float[] yv = x.dtype() == DType.FLOAT ? out.floats() : new float[x.size()];
                float[] scale = gatherFloats(in[1], si, count);
                float[] bias = in.length > 2 && in[2] != null ? gatherFloats(in[2], bi, count) : null;
                m = ReduceKernels.moments(xv, rows, count, ec);
                ec.parallel().forRange(rows, ReduceKernels.grain(count), (from, to) -> {
                    for (int r = from; r < to; r++) {
                        float mean = (float) m[0][r];
                        float inv = (float) (1.0 / Math.sqrt(m[1][r] + eps));
                        int base = r * count;
                        if (bias == null) {
                            for (int j = 0; j < count; j++) yv[base + j] = (xv[base + j] - mean) * inv * scale[j];
                        } else {
                            for (int j = 0; j < count; j++) {
                                yv[base + j] = (xv[base + j] - mean) * inv * scale[j] + bias[j];
                            }
                        }
                    }
                });
                if (x.dtype() != DType.FLOAT) {
                    for (int i = 0; i < yv.length; i++) out.setDouble(i, yv[i]);
                }
            }
            int[] statShape = x.shape().clone();
            Arrays.fill(statShape, axis, statShape.length, 1);
            Tensor mean = wantMean ? Tensor.allocate(stash, statShape) : null;
            Tensor inv = wantInv ? Tensor.allocate(stash, statShape) : null;
            for (int r = 0; r < rows; r++) {
                if (mean != null) mean.setDouble(r, m[0][r]);
                if (inv != null) inv.setDouble(r, 1.0 / Math.sqrt(m[1][r] + eps));
            }
            return new Tensor[] {out, mean, inv};
        };
    }

    /** Index of each normalized element into the parameter, or null when it has exactly that shape. */
    private static int[] paramIndex(Tensor p, int[] normShape, String name) {
        if (Arrays.equals(p.shape(), normShape) || (p.size() == Shapes.size(normShape) && p.rank() <= 1)) {
            return null;
        }
        try {
            if (p.rank() > normShape.length || !Arrays.equals(Shapes.broadcast(p.shape(), normShape), normShape)) {
                throw new IllegalArgumentException();
            }
            return Shapes.broadcastIndex(p.shape(), normShape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LayerNormalization " + name + " of shape " + Shapes.toString(p.shape())
                    + " cannot be broadcast to the normalized shape " + Shapes.toString(normShape));
        }
    }

    private static float[] gatherFloats(Tensor p, int[] index, int count) {
        float[] f = new float[count];
        for (int j = 0; j < count; j++) f[j] = (float) p.getDouble(index == null ? j : index[j]);
        return f;
    }

    private static double[] gatherDoubles(Tensor p, int[] index, int count) {
        double[] d = new double[count];
        for (int j = 0; j < count; j++) d[j] = p.getDouble(index == null ? j : index[j]);
        return d;
    }
}
