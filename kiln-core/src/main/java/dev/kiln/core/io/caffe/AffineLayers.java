package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * BatchNorm, Scale and Bias, in the form the optimizer folds into a preceding Conv: a
 * BatchNormalization with unit scale and zero bias, then Mul / Add by constants shaped to broadcast
 * from the layer's axis ({@code [C, 1, 1]} for the channels of an N x C x H x W blob).
 */
final class AffineLayers {
    private AffineLayers() {
    }

    /**
     * BatchNorm → BatchNormalization(scale 1, B 0, mean·f, variance·f, eps) where f is 1 / blob 2
     * (Caffe's moving-average scale factor), or 0 when that blob is 0.
     */
    static void batchNorm(CaffeContext ctx) {
        CaffeNet.BatchNormParameter p = ctx.layer().getBatchNormParam();
        Value x = ctx.bottom(0);
        int[] in = ctx.shape(x);
        if (in.length < 2) {
            throw ctx.error("expects an input with a channel axis (N, C, ...), found " + Arrays.toString(in));
        }
        if (p.hasUseGlobalStats() && !p.getUseGlobalStats()) {
            ctx.warn("use_global_stats is false, so Caffe normalizes with each batch's own statistics; "
                    + "the converted model uses the stored mean and variance");
        }
        if (ctx.blobCount() > 3) {
            ctx.warn("the caffemodel has " + ctx.blobCount() + " blobs; only the first three (mean, variance, "
                    + "moving-average factor) are used, any further scale or bias blobs are ignored");
        }
        int c = in[1];
        float[] mean = ctx.blob(0, "mean", c).floats().clone();
        float[] var = ctx.blob(1, "variance", c).floats().clone();
        float stored = ctx.blob(2, "moving-average factor", 1).floats()[0];
        float f = stored == 0f ? 0f : 1f / stored;
        float[] ones = new float[c];
        Arrays.fill(ones, 1f);
        for (int i = 0; i < c; i++) {
            mean[i] *= f;
            var[i] *= f;
        }
        ctx.top(0, ctx.node(null, "BatchNormalization", CaffeContext.attrs().f("epsilon", p.getEps()), x,
                ctx.constant("scale", Tensor.of(ones, c)), ctx.constant("bias", Tensor.of(new float[c], c)),
                ctx.constant("mean", Tensor.of(mean, c)), ctx.constant("variance", Tensor.of(var, c))));
    }

    /**
     * Scale → Mul (+ Add with bias_term). The factor is the second bottom, or blob 0 shaped like the
     * input's axes {@code [axis, axis + num_axes)} (num_axes −1: all remaining); the bias is the next
     * blob, of the same shape.
     */
    static void scale(CaffeContext ctx) {
        CaffeNet.ScaleParameter p = ctx.layer().getScaleParam();
        Value x = ctx.bottom(0);
        Operand k = operand(ctx, "scale", 0, p.getAxis(), p.getNumAxes());
        Value y = ctx.node(null, "Mul", null, x, k.value);
        if (p.getBiasTerm()) {
            int i = ctx.bottoms() > 1 ? 0 : 1;
            y = ctx.node("bias", "Add", null, y, ctx.constant("bias", ctx.blob(i, "bias", k.dims).reshape(k.broadcast)));
        }
        ctx.top(0, y);
    }

    /** Bias → Add, the operand found as Scale's. */
    static void bias(CaffeContext ctx) {
        CaffeNet.BiasParameter p = ctx.layer().getBiasParam();
        Operand b = operand(ctx, "bias", 0, p.getAxis(), p.getNumAxes());
        ctx.top(0, ctx.node(null, "Add", null, ctx.bottom(0), b.value));
    }

    /** The second operand of Scale or Bias: its value, its own dims and the broadcastable shape it takes. */
    private record Operand(Value value, int[] dims, int[] broadcast) {
    }

    private static Operand operand(CaffeContext ctx, String role, int blob, long axisParam, long numAxes) {
        int[] in = ctx.bottomShape(0);
        boolean fromBottom = ctx.bottoms() > 1;
        int[] dims;
        int axis;
        if (fromBottom) {
            dims = ctx.bottomShape(1);
            axis = dims.length == 0 ? 0 : ctx.axis("axis", axisParam, in.length);
        } else {
            axis = ctx.axis("axis", axisParam, in.length);
            if (numAxes < -1 || numAxes > in.length - axis) {
                throw ctx.error("num_axes " + numAxes + " is out of range for axis " + axis + " of a blob of "
                        + in.length + " axes");
            }
            dims = Arrays.copyOfRange(in, axis, numAxes == -1 ? in.length : axis + (int) numAxes);
        }
        if (axis + dims.length > in.length || !Arrays.equals(dims, Arrays.copyOfRange(in, axis, axis + dims.length))) {
            throw ctx.error("the " + role + " of shape " + Arrays.toString(dims) + " does not match the input "
                    + Arrays.toString(in) + " from axis " + axis);
        }
        int[] broadcast = Arrays.copyOf(dims, in.length - axis);
        Arrays.fill(broadcast, dims.length, broadcast.length, 1);
        Value v;
        if (!fromBottom) {
            v = ctx.constant(role, ctx.blob(blob, role, dims).reshape(broadcast));
        } else if (broadcast.length != dims.length) {
            v = ctx.reshape(role + "_reshape", ctx.bottom(1), broadcast);
        } else {
            v = ctx.bottom(1);
        }
        return new Operand(v, dims, broadcast);
    }
}
