package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Tensor;

import static dev.kiln.core.io.caffe.CaffeContext.attrs;

/**
 * DetectionOutput's box decoding as graph nodes, following Caffe-SSD's DecodeBBox. With t = loc ·
 * variance (or loc when variance_encoded_in_target) and a prior (xmin, ymin, xmax, ymax) of size
 * (w, h) and centre (cx, cy):
 * <ul>
 * <li>CORNER: prior + t;</li>
 * <li>CORNER_SIZE: prior + t · (w, h, w, h);</li>
 * <li>CENTER_SIZE: centre (t0·w + cx, t1·h + cy), size (exp(t2)·w, exp(t3)·h), as corners.</li>
 * </ul>
 */
final class BoxDecoder {
    private BoxDecoder() {
    }

    /** Decoded boxes [P, L, 4] from loc (P·L·4 values), prior [1, 2 (or 1), P·4]. */
    static Value decode(CaffeContext ctx, CaffeNet.DetectionOutputParameter p, Value loc, Value prior, int priors,
                        int locClasses) {
        Value loc3 = ctx.node("loc", "Reshape", null, loc, ctx.ints("loc_shape", priors, locClasses, 4));
        Value pri = ctx.node("prior", "Reshape", null, prior, ctx.ints("prior_shape", -1, priors, 1, 4));
        Value box = slice(ctx, "prior_box", pri, 0, 0, 1);
        box = ctx.node("prior_box_p", "Reshape", null, box, ctx.ints("prior_box_shape", priors, 1, 4));
        Value t = loc3;
        if (!p.getVarianceEncodedInTarget()) {
            Value var = slice(ctx, "prior_var", pri, 0, 1, 2);
            var = ctx.node("prior_var_p", "Reshape", null, var, ctx.ints("prior_var_shape", priors, 1, 4));
            t = ctx.node("loc_var", "Mul", null, loc3, var);
        }
        Value decoded;
        switch (p.getCodeType()) {
            case CORNER:
                decoded = ctx.node("decode", "Add", null, box, t);
                break;
            case CORNER_SIZE: {
                Value size = size(ctx, box);
                Value size4 = ctx.node("prior_size4", "Concat", attrs().i("axis", 2), size, size);
                decoded = ctx.node("decode", "Add", null, box, ctx.node("loc_scaled", "Mul", null, t, size4));
                break;
            }
            case CENTER_SIZE: {
                Value min = slice(ctx, "prior_min", box, 2, 0, 2);
                Value max = slice(ctx, "prior_max", box, 2, 2, 4);
                Value size = ctx.node("prior_size", "Sub", null, max, min);
                Value half = ctx.constant("half", Tensor.scalar(0.5f));
                Value centre = ctx.node("prior_centre", "Mul", null, ctx.node("prior_sum", "Add", null, min, max), half);
                Value tc = slice(ctx, "loc_centre", t, 2, 0, 2);
                Value ts = slice(ctx, "loc_size", t, 2, 2, 4);
                Value c = ctx.node("centre", "Add", null, ctx.node("centre_offset", "Mul", null, tc, size), centre);
                Value s = ctx.node("size", "Mul", null, ctx.node("size_exp", "Exp", null, ts), size);
                Value h = ctx.node("half_size", "Mul", null, s, half);
                decoded = ctx.node("decode", "Concat", attrs().i("axis", 2),
                        ctx.node("decode_min", "Sub", null, c, h), ctx.node("decode_max", "Add", null, c, h));
                break;
            }
            default:
                throw ctx.error("unknown code_type " + p.getCodeType());
        }
        if (p.getClip()) {
            decoded = ctx.node("decode_clip", "Clip", null, decoded, ctx.constant("clip_min", Tensor.scalar(0f)),
                    ctx.constant("clip_max", Tensor.scalar(1f)));
        }
        return decoded;
    }

    /** Prior sizes (w, h) [P, 1, 2]. */
    private static Value size(CaffeContext ctx, Value box) {
        Value min = slice(ctx, "prior_min", box, 2, 0, 2);
        Value max = slice(ctx, "prior_max", box, 2, 2, 4);
        return ctx.node("prior_size", "Sub", null, max, min);
    }

    private static Value slice(CaffeContext ctx, String role, Value x, int axis, int start, int end) {
        return ctx.node(role, "Slice", null, x, ctx.ints(role + "_starts", start), ctx.ints(role + "_ends", end),
                ctx.ints(role + "_axes", axis));
    }
}
