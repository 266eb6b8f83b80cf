package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;

import java.util.ArrayList;
import java.util.List;

/**
 * The prior (anchor) boxes of an SSD PriorBox layer. They depend only on the feature-map and image
 * sizes, so the converter computes them once and emits a constant.
 *
 * <p>Output layout, as Caffe-SSD's PriorBoxLayer: {@code [1, 2, H·W·numPriors·4]}; channel 0 holds the
 * boxes as normalized corners (xmin, ymin, xmax, ymax), channel 1 the variances. Cells are visited
 * row by row; within a cell, for each min_size in turn: the min_size square, then (when max_size is
 * given) the sqrt(min_size·max_size) square, then one box per aspect ratio other than 1 in list order
 * (each given ratio followed by its reciprocal when flip is set; duplicates within 1e-6 dropped).
 *
 * <p>As in Caffe-SSD, min_size and max_size are truncated to integers before use, and each
 * coordinate is computed in double and stored as float. clip limits the boxes (not the variances)
 * to [0, 1].
 */
final class PriorBoxes {
    final int[] minSizes;
    final int[] maxSizes;
    final float[] aspectRatios;
    final boolean clip;
    final float[] variance;
    final int imgH;
    final int imgW;
    final float stepH;
    final float stepW;
    final float offset;

    private PriorBoxes(int[] minSizes, int[] maxSizes, float[] aspectRatios, boolean clip, float[] variance,
                       int imgH, int imgW, float stepH, float stepW, float offset) {
        this.minSizes = minSizes;
        this.maxSizes = maxSizes;
        this.aspectRatios = aspectRatios;
        this.clip = clip;
        this.variance = variance;
        this.imgH = imgH;
        this.imgW = imgW;
        this.stepH = stepH;
        this.stepW = stepW;
        this.offset = offset;
    }

    /** Reads and checks the layer's prior_box_param (Caffe-SSD's LayerSetUp checks). */
    static PriorBoxes of(CaffeContext ctx) {
        CaffeNet.PriorBoxParameter p = ctx.layer().getPriorBoxParam();
        if (p.getWidthCount() > 0 || p.getHeightCount() > 0 || p.getOffsetHCount() > 0 || p.getOffsetWCount() > 0) {
            throw ctx.error("explicit width/height/offset_h/offset_w box lists (an OpenCV extension) are not supported; "
                    + "give min_size, max_size and aspect_ratio");
        }
        if (p.getMinSizeCount() == 0) {
            throw ctx.error("prior_box_param must give min_size");
        }
        int[] min = new int[p.getMinSizeCount()];
        for (int i = 0; i < min.length; i++) {
            min[i] = truncated(ctx, "min_size", p.getMinSize(i));
            if (!(p.getMinSize(i) > 0)) {
                throw ctx.error("min_size must be positive, found " + p.getMinSize(i));
            }
        }
        int[] max = new int[p.getMaxSizeCount()];
        if (max.length > 0 && max.length != min.length) {
            throw ctx.error("gives " + max.length + " max_size values for " + min.length + " min_size values; "
                    + "they must be as many");
        }
        for (int i = 0; i < max.length; i++) {
            if (!(p.getMaxSize(i) > p.getMinSize(i))) {
                throw ctx.error("max_size " + p.getMaxSize(i) + " must be greater than min_size " + p.getMinSize(i));
            }
            max[i] = truncated(ctx, "max_size", p.getMaxSize(i));
        }
        List<Float> ars = new ArrayList<>();
        ars.add(1f);
        for (float ar : p.getAspectRatioList()) {
            boolean exists = false;
            for (float a : ars) {
                if (Math.abs(ar - a) < 1e-6) {
                    exists = true;
                    break;
                }
            }
            if (!exists) {
                if (!(ar > 0)) {
                    throw ctx.error("aspect_ratio must be positive, found " + ar);
                }
                ars.add(ar);
                if (p.getFlip()) {
                    ars.add((float) (1.0 / ar));
                }
            }
        }
        float[] arr = new float[ars.size()];
        for (int i = 0; i < arr.length; i++) {
            arr[i] = ars.get(i);
        }
        float[] var;
        if (p.getVarianceCount() > 1) {
            if (p.getVarianceCount() != 4) {
                throw ctx.error("variance must have 1 or 4 values, found " + p.getVarianceCount());
            }
            var = new float[4];
        } else {
            var = new float[1];
        }
        for (int i = 0; i < var.length; i++) {
            var[i] = p.getVarianceCount() == 0 ? 0.1f : p.getVariance(i);
            if (!(var[i] > 0)) {
                throw ctx.error("variance must be positive, found " + var[i]);
            }
        }
        int imgH = 0, imgW = 0;
        if (p.hasImgH() || p.hasImgW()) {
            if (p.hasImgSize()) {
                throw ctx.error("give either img_size or img_h/img_w, not both");
            }
            imgH = p.getImgH();
            imgW = p.getImgW();
            if (imgH <= 0 || imgW <= 0) {
                throw ctx.error("img_h and img_w must both be positive, found " + imgH + " and " + imgW);
            }
        } else if (p.hasImgSize()) {
            imgH = imgW = p.getImgSize();
            if (imgH <= 0) {
                throw ctx.error("img_size must be positive");
            }
        }
        float stepH = 0, stepW = 0;
        if (p.hasStepH() || p.hasStepW()) {
            if (p.hasStep()) {
                throw ctx.error("give either step or step_h/step_w, not both");
            }
            stepH = p.getStepH();
            stepW = p.getStepW();
            if (!(stepH > 0) || !(stepW > 0)) {
                throw ctx.error("step_h and step_w must both be positive, found " + stepH + " and " + stepW);
            }
        } else if (p.hasStep()) {
            stepH = stepW = p.getStep();
            if (!(stepH > 0)) {
                throw ctx.error("step must be positive, found " + stepH);
            }
        }
        return new PriorBoxes(min, max, arr, p.getClip(), var, imgH, imgW, stepH, stepW, p.getOffset());
    }

    private static int truncated(CaffeContext ctx, String field, float v) {
        int i = (int) v;
        if (i != v) {
            ctx.warn(field + " " + v + " is used as " + i + " (Caffe-SSD truncates the sizes to integers)");
        }
        return i;
    }

    /** Boxes per feature-map cell. */
    int numPriors() {
        return (aspectRatios.length) * minSizes.length + maxSizes.length;
    }

    /**
     * The [1, 2, layerH·layerW·numPriors·4] prior data for a feature map of layerH x layerW and an image
     * of imageH x imageW (the bottoms' sizes, used where img_* and step* are not given).
     */
    float[] compute(int layerH, int layerW, int imageH, int imageW) {
        int imgWidth = imgH == 0 || imgW == 0 ? imageW : imgW;
        int imgHeight = imgH == 0 || imgW == 0 ? imageH : imgH;
        float sw = stepW == 0 || stepH == 0 ? (float) imgWidth / layerW : stepW;
        float sh = stepW == 0 || stepH == 0 ? (float) imgHeight / layerH : stepH;
        int dim = layerH * layerW * numPriors() * 4;
        float[] out = new float[2 * dim];
        int idx = 0;
        for (int h = 0; h < layerH; h++) {
            for (int w = 0; w < layerW; w++) {
                float cx = (w + offset) * sw;
                float cy = (h + offset) * sh;
                for (int s = 0; s < minSizes.length; s++) {
                    int min = minSizes[s];
                    idx = box(out, idx, cx, cy, min, min, imgWidth, imgHeight);
                    if (maxSizes.length > 0) {
                        float size = (float) Math.sqrt((double) min * maxSizes[s]);
                        idx = box(out, idx, cx, cy, size, size, imgWidth, imgHeight);
                    }
                    for (float ar : aspectRatios) {
                        if (Math.abs(ar - 1.0) < 1e-6) {
                            continue;
                        }
                        float r = (float) Math.sqrt(ar);
                        idx = box(out, idx, cx, cy, min * r, min / r, imgWidth, imgHeight);
                    }
                }
            }
        }
        if (clip) {
            for (int d = 0; d < dim; d++) {
                out[d] = Math.min(Math.max(out[d], 0f), 1f);
            }
        }
        for (int d = 0; d < dim; d++) {
            out[dim + d] = variance.length == 1 ? variance[0] : variance[d % 4];
        }
        return out;
    }

    private static int box(float[] out, int idx, float cx, float cy, float bw, float bh, int imgWidth, int imgHeight) {
        out[idx++] = (float) ((cx - bw / 2.0) / imgWidth);
        out[idx++] = (float) ((cy - bh / 2.0) / imgHeight);
        out[idx++] = (float) ((cx + bw / 2.0) / imgWidth);
        out[idx++] = (float) ((cy + bh / 2.0) / imgHeight);
        return idx;
    }
}
