package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.Value;

import java.util.List;

import static dev.kiln.core.io.caffe.CaffeContext.attrs;

/** Input, Convolution and ReLU: the pattern the other converters follow. */
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

    /** Convolution → Conv (weights O x I/g x kh x kw, optional bias O). */
    static void convolution(CaffeContext ctx) {
        CaffeNet.ConvolutionParameter p = ctx.layer().getConvolutionParam();
        Value x = ctx.bottom(0);
        int[] in = ctx.shape(x);
        ConvGeometry geo = ConvGeometry.of(ctx, p, in.length - 2);
        int group = Math.max(1, p.getGroup());
        int out = p.getNumOutput();
        if (out <= 0 || in[1] % group != 0 || out % group != 0) {
            throw ctx.error("num_output " + out + " and input channels " + in[1] + " must be positive multiples of group " + group);
        }
        int[] wShape = geo.weightShape(out, in[1] / group);
        Value w = ctx.constant("weights", ctx.blob(0, "weights", wShape));
        Value y;
        var a = geo.attrs().i("group", group);
        if (p.getBiasTerm()) {
            Value b = ctx.constant("bias", ctx.blob(1, "bias", out));
            y = ctx.node(null, "Conv", a, x, w, b);
        } else {
            y = ctx.node(null, "Conv", a, x, w);
        }
        ctx.top(0, y);
    }

    /** ReLU → Relu, or LeakyRelu with negative_slope. */
    static void relu(CaffeContext ctx) {
        float slope = ctx.layer().getReluParam().getNegativeSlope();
        Value y = slope == 0f ? ctx.node(null, "Relu", null, ctx.bottom(0))
                : ctx.node(null, "LeakyRelu", attrs().f("alpha", slope), ctx.bottom(0));
        ctx.top(0, y);
    }
}
