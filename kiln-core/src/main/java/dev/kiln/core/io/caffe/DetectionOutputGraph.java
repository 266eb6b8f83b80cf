package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

import static dev.kiln.core.io.caffe.CaffeContext.attrs;

/**
 * SSD's DetectionOutput as a subgraph of standard ONNX operators (opset 13), for batch 1.
 *
 * <p>Bottoms: loc (P·4·num_loc_classes values per image), conf (P·num_classes), prior [1, 2, P·4]
 * (boxes, then variances). Top: [1, 1, K, 7] rows (image_id, label, score, xmin, ymin, xmax, ymax).
 *
 * <ol>
 * <li>Decode: the loc values, times the prior variances unless variance_encoded_in_target, are
 *     applied to the priors as Caffe-SSD's DecodeBBox does for CORNER, CORNER_SIZE and CENTER_SIZE.
 *     OpenCV's {@code clip} extension clips the decoded boxes to [0, 1].</li>
 * <li>Scores [C, P], without the background class (Gather over the class axis).</li>
 * <li>Candidates per class: with nms_param.top_k, the top_k highest scores of each class (TopK,
 *     equal scores in prior order, as Caffe's stable sort) and their boxes.</li>
 * <li>NonMaxSuppression with one "batch" per class (so per-class boxes need no extra work when
 *     share_location is false), score_threshold = confidence_threshold (strictly greater, as Caffe),
 *     iou_threshold = nms_threshold (suppress when the overlap is greater, as Caffe).</li>
 * <li>Rows in NMS order: label ascending, then score descending within a label, which is
 *     Caffe-SSD's output order. keep_top_k keeps the best keep_top_k rows over all classes (TopK with
 *     k = min(keep_top_k, K) computed in the graph) and puts them back in that order.</li>
 * <li>No detection: the single row (0, -1, -1, -1, -1, -1, -1), as Caffe-SSD writes.</li>
 * </ol>
 *
 * <p>Known differences from Caffe-SSD: adaptive NMS (eta below 1) is treated as eta = 1, with a
 * warning; a decoded box with xmax &lt; xmin (or ymax &lt; ymin) has area 0 in Caffe's overlap but
 * is measured between its corners by ONNX NonMaxSuppression; rows with equal scores cut by keep_top_k
 * may differ (Caffe's std::sort is not stable). nms top_k needs no approximation: it is applied
 * before NMS, as in Caffe, not as ONNX's max_output_boxes_per_class (which limits what NMS keeps).
 *
 * <p>OpenCV's DetectionOutput differs in output, not in the detections: it returns keep_top_k rows
 * sorted by score over all classes, padded with zero rows (all zeros when nothing is found).
 */
final class DetectionOutputGraph {
    private DetectionOutputGraph() {
    }

    static Value build(CaffeContext ctx) {
        CaffeNet.DetectionOutputParameter p = ctx.layer().getDetectionOutputParam();
        ctx.floatOnly("DetectionOutput (box decoding and NMS) runs in float");
        if (ctx.bottoms() != 3) {
            throw ctx.error("expects 3 bottoms (loc, conf, prior), found " + ctx.bottoms());
        }
        if (!p.hasNumClasses() || p.getNumClasses() < 1) {
            throw ctx.error("detection_output_param must give num_classes (at least 1)");
        }
        if (!p.getNormalizedBbox()) {
            throw ctx.error("normalized_bbox: false (pixel boxes, an OpenCV extension) is not supported");
        }
        int classes = p.getNumClasses();
        int locClasses = p.getShareLocation() ? 1 : classes;
        CaffeNet.NonMaximumSuppressionParameter nms = p.getNmsParam();
        float iou = nms.getNmsThreshold();
        if (!(iou >= 0)) {
            throw ctx.error("nms_threshold must be non-negative, found " + iou);
        }
        if (!(nms.getEta() > 0 && nms.getEta() <= 1)) {
            throw ctx.error("nms_param.eta must be in (0, 1], found " + nms.getEta());
        }
        if (nms.getEta() != 1f) {
            ctx.warn("adaptive NMS (eta " + nms.getEta() + ") is not available in ONNX NonMaxSuppression; "
                    + "eta is treated as 1 (the threshold stays " + iou + ")");
        }

        Value loc = ctx.bottom(0), conf = ctx.bottom(1), prior = ctx.bottom(2);
        int[] locShape = ctx.shape(loc), confShape = ctx.shape(conf), priorShape = ctx.shape(prior);
        if (locShape[0] != 1 || confShape[0] != 1) {
            throw ctx.error("only batch 1 is supported (deploy networks), found loc " + Arrays.toString(locShape)
                    + " and conf " + Arrays.toString(confShape));
        }
        int priorChannels = p.getVarianceEncodedInTarget() ? 1 : 2;
        if (priorShape.length != 3 || priorShape[0] != 1 || priorShape[2] % 4 != 0
                || priorShape[1] != 2 && priorShape[1] != priorChannels) {
            throw ctx.error("prior must be [1, 2, P*4], found " + Arrays.toString(priorShape));
        }
        int priors = priorShape[2] / 4;
        if (count(locShape) != (long) priors * locClasses * 4) {
            throw ctx.error("loc " + Arrays.toString(locShape) + " must hold " + priors + " priors x " + locClasses
                    + " location classes x 4 values, as the prior " + Arrays.toString(priorShape) + " implies");
        }
        if (count(confShape) != (long) priors * classes) {
            throw ctx.error("conf " + Arrays.toString(confShape) + " must hold " + priors + " priors x " + classes
                    + " classes, as the prior " + Arrays.toString(priorShape) + " implies");
        }

        int bg = p.getBackgroundLabelId();
        int kept = bg >= 0 && bg < classes ? classes - 1 : classes;
        long[] keptIds = new long[kept];
        float[] idAndLabel = new float[kept * 2];
        for (int c = 0, k = 0; c < classes; c++) {
            if (c != bg) {
                idAndLabel[2 * k + 1] = c;
                keptIds[k++] = c;
            }
        }

        // boxes [L', P, 4] (L' = 1 when shared), scores [C', P]
        Value boxes = BoxDecoder.decode(ctx, p, loc, prior, priors, locClasses);
        boxes = ctx.node("boxes_t", "Transpose", attrs().ints("perm", 1, 0, 2), boxes);
        Value scores = ctx.node("conf", "Reshape", null, conf, ctx.ints("conf_shape", priors, classes));
        scores = ctx.node("conf_t", "Transpose", attrs().ints("perm", 1, 0), scores);
        if (kept < classes) {
            Value ids = ctx.ints("classes", keptIds);
            scores = ctx.node("conf_fg", "Gather", attrs().i("axis", 0), scores, ids);
            if (locClasses > 1) {
                boxes = ctx.node("boxes_fg", "Gather", attrs().i("axis", 0), boxes, ids);
            }
        }

        // candidates: scores [C', k], boxes [C', k, 4]
        int k = priors;
        Value candBoxes;
        if (nms.hasTopK() && nms.getTopK() > -1 && nms.getTopK() < priors) {
            k = nms.getTopK();
            Value[] top = ctx.nodeN("top_k", "TopK", attrs().i("axis", 1), 2, scores, ctx.ints("top_k", k));
            scores = top[0];
            if (locClasses == 1) {
                Value flat = ctx.node("boxes_flat", "Reshape", null, boxes, ctx.ints("boxes_flat_shape", priors, 4));
                candBoxes = ctx.node("cand_boxes", "Gather", attrs().i("axis", 0), flat, top[1]);
            } else {
                Value idx = ctx.node("top_k_idx", "Unsqueeze", null, top[1], ctx.ints("top_k_axes", 2));
                candBoxes = ctx.node("cand_boxes", "GatherND", attrs().i("batch_dims", 1), boxes, idx);
            }
        } else if (locClasses == 1) {
            candBoxes = ctx.node("cand_boxes", "Expand", null, boxes, ctx.ints("cand_shape", kept, priors, 4));
        } else {
            candBoxes = boxes;
        }
        Value nmsScores = ctx.node("nms_scores", "Unsqueeze", null, scores, ctx.ints("nms_scores_axes", 1));
        Value maxOut = ctx.ints("max_out", k);
        Value iouT = ctx.constant("iou", Tensor.of(new float[] {Math.min(iou, 1f)}, 1));
        Value selected = p.hasConfidenceThreshold()
                ? ctx.node("nms", "NonMaxSuppression", null, candBoxes, nmsScores, maxOut, iouT,
                        ctx.constant("score_threshold", Tensor.of(new float[] {p.getConfidenceThreshold()}, 1)))
                : ctx.node("nms", "NonMaxSuppression", null, candBoxes, nmsScores, maxOut, iouT);

        // rows [K, 7]
        Value classAndBox = ctx.node("sel_cj", "Gather", attrs().i("axis", 1), selected, ctx.ints("cj", 0, 2));
        Value score = ctx.node("sel_score", "GatherND", null, scores, classAndBox);
        Value box = ctx.node("sel_box", "GatherND", null, candBoxes, classAndBox);
        Value cls = ctx.node("sel_class", "Gather", attrs().i("axis", 1), selected,
                ctx.constant("c", Tensor.scalarLong(0)));
        Value label = ctx.node("sel_label", "Gather", attrs().i("axis", 0),
                ctx.constant("labels", Tensor.of(idAndLabel, kept, 2)), cls);
        Value score2 = ctx.node("sel_score2", "Unsqueeze", null, score, ctx.ints("score_axes", 1));
        Value rows = ctx.node("rows", "Concat", attrs().i("axis", 1), label, score2, box);
        if (p.getKeepTopK() > -1) {
            Value n = ctx.node("count", "Shape", null, score);
            Value keep = ctx.node("keep", "Min", null, n, ctx.ints("keep_top_k", p.getKeepTopK()));
            Value best = ctx.nodeN("keep_top_k", "TopK", attrs().i("axis", 0), 2, score, keep)[1];
            Value order = ctx.nodeN("keep_order", "TopK", attrs().i("axis", 0).i("largest", 0), 2, best, keep)[0];
            rows = ctx.node("rows_kept", "Gather", attrs().i("axis", 0), rows, order);
        }
        // no detection: Caffe's row of -1 (image id 0)
        Value none = ctx.constant("none", Tensor.of(new float[] {0, -1, -1, -1, -1, -1, -1}, 1, 7));
        Value padded = ctx.node("rows_or_none", "Concat", attrs().i("axis", 0), rows, none);
        Value end = ctx.node("rows_end", "Max", null, ctx.node("rows_shape", "Shape", null, rows),
                ctx.ints("one_row", 1, 7));
        Value out = ctx.node("rows_out", "Slice", null, padded, ctx.ints("starts", 0, 0), end, ctx.ints("axes", 0, 1));
        return ctx.node("out", "Reshape", null, out, ctx.ints("out_shape", 1, 1, -1, 7));
    }

    private static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
