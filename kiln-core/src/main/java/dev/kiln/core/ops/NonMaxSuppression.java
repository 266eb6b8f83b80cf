package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.NonMaxSuppressionKernel;

import dev.kiln.runtime.tensor.DType;

/**
 * NonMaxSuppression: for each batch and class, greedily selects boxes by descending score
 * (equal scores: lower box index first), dropping a box whose IoU with an already selected box of
 * the class exceeds iou_threshold, and boxes whose score is not above score_threshold (when
 * given). Output: int64 [num_selected, 3] rows of (batch, class, box), batch-major then class,
 * in selection order, as ONNX Runtime produces them. max_output_boxes_per_class 0 or absent
 * selects nothing. center_point_box 0: [y1, x1, y2, x2] (any two opposite corners); 1: [x_center,
 * y_center, width, height]. Kernel: {@link NonMaxSuppressionKernel}.
 */
public final class NonMaxSuppression extends Op {
    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, DType.INT64, new int[] {-1, 3});
    }
}
