package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.Value;

import java.util.Arrays;
import java.util.List;

import static dev.kiln.core.io.caffe.CaffeContext.attrs;

/** Input, the weighted layers (Convolution, Deconvolution, InnerProduct) and ReLU: the pattern the other converters follow. */
final class BasicLayers {
    private BasicLayers() {
    }

    /** Input: one graph input per top, with its input_param shape (one shape for all tops, or one each). */
    static void input(CaffeContext ctx) {
        CaffeNet.InputParameter p = ctx.layer().getInputParam();
        if (p.getShapeCount() != 1 && p.getShapeCount() != ctx.tops()) {
            throw ctx.error("input_param has " + p.getShapeCount() + " shapes for " + ctx.tops() + " tops");
        }
        for (int i = 0; i < ctx.tops(); i++) {
            List<Long> dims = p.getShape(p.getShapeCount() == 1 ? 0 : i).getDimList();
            int[] shape = new int[dims.size()];
            for (int d = 0; d < shape.length; d++) {
                if (dims.get(d) <= 0) {
                    throw ctx.error("input '" + ctx.layer().getTop(i) + "' has dimension " + dims.get(d) + " at axis " + d);
                }
                shape[d] = Math.toIntExact(dims.get(d));
            }
            ctx.input(ctx.layer().getTop(i), shape);
        }
    }

    /** Convolution → Conv (weights O x I/g x kernel..., optional bias O). */
    static void convolution(CaffeContext ctx) {
        convolve(ctx, "Conv");
    }

    /**
     * Deconvolution → ConvTranspose. Caffe stores the weights as I x O/g x kernel..., which is
     * ONNX's layout; the output size (H − 1)·s − 2p + d·(k − 1) + 1 is ConvTranspose's with
     * symmetric pads and no output_padding.
     */
    static void deconvolution(CaffeContext ctx) {
        convolve(ctx, "ConvTranspose");
    }

    private static void convolve(CaffeContext ctx, String opType) {
        CaffeNet.ConvolutionParameter p = ctx.layer().getConvolutionParam();
        Value x = ctx.bottom(0);
        int[] in = ctx.shape(x);
        ConvGeometry geo = ConvGeometry.of(ctx, p, in.length - 2);
        int group = Math.max(1, p.getGroup());
        int out = p.getNumOutput();
        if (out <= 0 || in[1] % group != 0 || out % group != 0) {
            throw ctx.error("num_output " + out + " and input channels " + in[1] + " must be positive multiples of group " + group);
        }
        int[] wShape = opType.equals("Conv") ? geo.weightShape(out, in[1] / group) : geo.weightShape(in[1], out / group);
        Value w = ctx.constant("weights", ctx.blob(0, "weights", wShape));
        ctx.top(0, withBias(ctx, null, opType, geo.attrs().i("group", group), p.getBiasTerm(), out, x, w));
    }

    /**
     * InnerProduct → Gemm on the input flattened from axis (Flatten), reshaped back to
     * shape[:axis] + [N] when axis is not 1. Weights are N x K (Gemm transB = 1), or K x N with
     * transpose (transB = 0); legacy files store them as 1 x 1 x N x K.
     */
    static void innerProduct(CaffeContext ctx) {
        CaffeNet.InnerProductParameter p = ctx.layer().getInnerProductParam();
        Value x = ctx.bottom(0);
        int[] in = ctx.shape(x);
        int axis = ctx.axis("inner_product_param axis", p.getAxis(), in.length);
        int n = p.getNumOutput();
        if (n <= 0) {
            throw ctx.error("num_output must be positive, found " + n);
        }
        int k = 1;
        for (int d = axis; d < in.length; d++) {
            k *= in[d];
        }
        Value flat = in.length == 2 && axis == 1 ? x : ctx.node("flatten", "Flatten", attrs().i("axis", axis), x);
        Value w = ctx.constant("weights", p.getTranspose() ? ctx.blob(0, "weights", k, n) : ctx.blob(0, "weights", n, k));
        Value y = withBias(ctx, null, "Gemm", attrs().i("transB", p.getTranspose() ? 0 : 1), p.getBiasTerm(), n, flat, w);
        if (axis != 1) {
            int[] shape = Arrays.copyOf(in, axis + 1);
            shape[axis] = n;
            y = ctx.reshape("reshape", y, shape);
        }
        ctx.top(0, y);
    }

    /** The node on (x, w), with blob 1 as a bias of n values when the layer has bias_term. */
    private static Value withBias(CaffeContext ctx, String role, String opType, CaffeContext.AttrBuilder a, boolean bias,
                                  int n, Value x, Value w) {
        return bias ? ctx.node(role, opType, a, x, w, ctx.constant("bias", ctx.blob(1, "bias", n)))
                : ctx.node(role, opType, a, x, w);
    }

    /** ReLU → Relu, or LeakyRelu with negative_slope. */
    static void relu(CaffeContext ctx) {
        float slope = ctx.layer().getReluParam().getNegativeSlope();
        Value y = slope == 0f ? ctx.node(null, "Relu", null, ctx.bottom(0))
                : ctx.node(null, "LeakyRelu", attrs().f("alpha", slope), ctx.bottom(0));
        ctx.top(0, y);
    }
}
