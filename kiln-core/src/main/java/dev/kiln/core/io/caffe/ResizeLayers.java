package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

import static dev.kiln.core.io.caffe.CaffeContext.attrs;

/** The resizing layers of common forks: Interp (bilinear, DeepLab/PSPNet) and Upsample (nearest). */
final class ResizeLayers {
    private ResizeLayers() {
    }

    /**
     * Interp: bilinear resize with aligned corners of the input cropped by pad_beg / pad_end (both
     * at most 0) → Slice when cropped, then Resize(linear, align_corners, sizes). The output size is
     * bottom 1's H x W, or height/width, or from the effective input size E:
     * shrink_factor s → (E − 1) / s + 1; zoom_factor z → E + (E − 1)(z − 1); both → shrink, then zoom.
     */
    static void interp(CaffeContext ctx) {
        CaffeNet.InterpParameter p = ctx.layer().getInterpParam();
        Value x = ctx.bottom(0);
        int[] in = fourD(ctx, x);
        int pb = p.getPadBeg();
        int pe = p.getPadEnd();
        if (pb > 0 || pe > 0) {
            throw ctx.error("pad_beg " + pb + " and pad_end " + pe + " must be at most 0 (they crop)");
        }
        int[] size = new int[2];
        for (int i = 0; i < 2; i++) {
            int eff = in[2 + i] + pb + pe;
            if (eff <= 0) {
                throw ctx.error("cropping by pad_beg " + pb + " and pad_end " + pe + " leaves nothing of size " + in[2 + i]);
            }
            size[i] = outputSize(ctx, p, eff, i);
        }
        if (pb != 0 || pe != 0) {
            x = ctx.node("crop", "Slice", null, x, ctx.ints("starts", -pb, -pb), ctx.ints("ends", in[2] + pe, in[3] + pe),
                    ctx.ints("axes", 2, 3));
        }
        var a = attrs().s("mode", "linear").s("coordinate_transformation_mode", "align_corners");
        ctx.top(0, ctx.node("resize", "Resize", a, x, null, null, ctx.ints("sizes", in[0], in[1], size[0], size[1])));
    }

    private static int outputSize(CaffeContext ctx, CaffeNet.InterpParameter p, int eff, int axis) {
        boolean shrink = p.hasShrinkFactor();
        boolean zoom = p.hasZoomFactor();
        if (ctx.bottoms() > 1) {
            if (shrink || zoom || p.hasHeight() || p.hasWidth()) {
                throw ctx.error("a second bottom gives the size, so shrink_factor, zoom_factor, height and width must not be set");
            }
            return ctx.bottomShape(1)[2 + axis];
        }
        if ((shrink && p.getShrinkFactor() < 1) || (zoom && p.getZoomFactor() < 1)) {
            throw ctx.error("shrink_factor and zoom_factor must be at least 1");
        }
        int out;
        if (shrink || zoom) {
            out = shrink ? (eff - 1) / p.getShrinkFactor() + 1 : eff;
            out = zoom ? out + (out - 1) * (p.getZoomFactor() - 1) : out;
        } else if (p.hasHeight() && p.hasWidth()) {
            out = axis == 0 ? p.getHeight() : p.getWidth();
        } else {
            throw ctx.error("gives no output size: set height and width, zoom_factor, shrink_factor, or a second bottom");
        }
        if (out <= 0) {
            throw ctx.error("output size " + out + " must be positive");
        }
        return out;
    }

    /**
     * Upsample: nearest-neighbour, out[h][w] = in[h / s_h][w / s_w] → Resize(nearest, asymmetric,
     * floor) with scales (scale, or scale_h and scale_w), or with sizes upsample_h x upsample_w.
     */
    static void upsample(CaffeContext ctx) {
        CaffeNet.UpsampleParameter p = ctx.layer().getUpsampleParam();
        if (ctx.bottoms() > 1) {
            throw ctx.error("a second bottom (the pooling mask of max-unpooling) is not supported; only "
                    + "nearest-neighbour upsampling is");
        }
        Value x = ctx.bottom(0);
        int[] in = fourD(ctx, x);
        var a = attrs().s("mode", "nearest").s("coordinate_transformation_mode", "asymmetric").s("nearest_mode", "floor");
        Value y;
        if (p.hasUpsampleH() || p.hasUpsampleW()) {
            if (!p.hasUpsampleH() || !p.hasUpsampleW() || p.getUpsampleH() <= 0 || p.getUpsampleW() <= 0) {
                throw ctx.error("give both upsample_h and upsample_w, positive");
            }
            y = ctx.node(null, "Resize", a, x, null, null, ctx.ints("sizes", in[0], in[1], p.getUpsampleH(), p.getUpsampleW()));
        } else {
            long sh = Integer.toUnsignedLong(p.hasScaleH() ? p.getScaleH() : p.getScale());
            long sw = Integer.toUnsignedLong(p.hasScaleW() ? p.getScaleW() : p.getScale());
            if (sh < 1 || sw < 1) {
                throw ctx.error("scales " + sh + " x " + sw + " must be at least 1");
            }
            Tensor scales = Tensor.of(new float[] {1, 1, sh, sw}, 4);
            y = ctx.node(null, "Resize", a, x, null, ctx.constant("scales", scales));
        }
        ctx.top(0, y);
    }

    private static int[] fourD(CaffeContext ctx, Value x) {
        int[] in = ctx.shape(x);
        if (in.length != 4) {
            throw ctx.error("expects a 4-D input (N, C, H, W), found " + Arrays.toString(in));
        }
        return in;
    }
}
