package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * NonMaxSuppression: for each batch and class, greedily selects boxes by descending score
 * (equal scores: lower box index first), dropping a box whose IoU with an already selected box of
 * the class exceeds iou_threshold, and boxes whose score is not above score_threshold (when
 * given). Output: int64 [num_selected, 3] rows of (batch, class, box), batch-major then class,
 * in selection order, as ONNX Runtime produces them. max_output_boxes_per_class 0 or absent
 * selects nothing. center_point_box 0: [y1, x1, y2, x2] (any two opposite corners); 1: [x_center,
 * y_center, width, height].
 */
public final class NonMaxSuppressionKernel extends NamedFactory {
    public static final NonMaxSuppressionKernel INSTANCE = new NonMaxSuppressionKernel();

    private NonMaxSuppressionKernel() {
        super("NonMaxSuppression", 106);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        final long centerPointBox = ctx.attrs().getInt("center_point_box", 0);
        if (centerPointBox != 0 && centerPointBox != 1) {
            throw ctx.error("center_point_box must be 0 or 1, found " + centerPointBox);
        }
        return (in, ec) -> {
            Tensor boxes = in[0], scores = in[1];
            if (boxes.rank() != 3 || boxes.dim(2) != 4) {
                throw new IllegalArgumentException("NonMaxSuppression boxes must be [num_batches, num_boxes, 4], found "
                        + Shapes.toString(boxes.shape()));
            }
            if (scores.rank() != 3 || scores.dim(0) != boxes.dim(0) || scores.dim(2) != boxes.dim(1)) {
                throw new IllegalArgumentException("NonMaxSuppression scores must be [num_batches, num_classes, "
                        + "num_boxes] matching boxes " + Shapes.toString(boxes.shape()) + ", found "
                        + Shapes.toString(scores.shape()));
            }
            long maxPerClass = in.length > 2 && in[2] != null && in[2].size() > 0 ? Math.max(0, in[2].getLong(0)) : 0;
            float iouThreshold = in.length > 3 && in[3] != null && in[3].size() > 0 ? in[3].getFloat(0) : 0f;
            boolean hasScoreThreshold = in.length > 4 && in[4] != null && in[4].size() > 0;
            float scoreThreshold = hasScoreThreshold ? in[4].getFloat(0) : 0f;
            if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
                throw new IllegalArgumentException("NonMaxSuppression iou_threshold must be in [0, 1], found "
                        + iouThreshold);
            }
            int batches = boxes.dim(0), classes = scores.dim(1), n = boxes.dim(1);
            float[] bx = boxes.toFloatArray(), sc = scores.toFloatArray();
            List<long[]> selected = new ArrayList<>();
            if (maxPerClass > 0) {
                int[] order = new int[n];
                float[] corners = new float[n * 4];
                for (int b = 0; b < batches; b++) {
                    toCorners(bx, b * n * 4, n, centerPointBox == 1, corners);
                    for (int c = 0; c < classes; c++) {
                        int sOff = (b * classes + c) * n;
                        int m = 0;
                        for (int i = 0; i < n; i++) {
                            if (!hasScoreThreshold || sc[sOff + i] > scoreThreshold) {
                                order[m++] = i;
                            }
                        }
                        sortByScore(order, m, sc, sOff);
                        List<Integer> kept = new ArrayList<>();
                        for (int j = 0; j < m && kept.size() < maxPerClass; j++) {
                            int i = order[j];
                            boolean keep = true;
                            for (int s : kept) {
                                if (iou(corners, s, i) > iouThreshold) {
                                    keep = false;
                                    break;
                                }
                            }
                            if (keep) {
                                kept.add(i);
                                selected.add(new long[] {b, c, i});
                            }
                        }
                    }
                }
            }
            Tensor out = Tensor.allocate(DType.INT64, selected.size(), 3);
            long[] o = out.longs();
            for (int i = 0; i < selected.size(); i++) System.arraycopy(selected.get(i), 0, o, i * 3, 3);
            return new Tensor[] {out};
        };
    }

    /** Boxes as [xmin, ymin, xmax, ymax], the way ONNX Runtime computes them. */
    private static void toCorners(float[] bx, int off, int n, boolean center, float[] out) {
        for (int i = 0; i < n; i++) {
            int p = off + i * 4;
            if (center) {
                float hw = bx[p + 2] / 2, hh = bx[p + 3] / 2;
                out[i * 4] = bx[p] - hw;
                out[i * 4 + 1] = bx[p + 1] - hh;
                out[i * 4 + 2] = bx[p] + hw;
                out[i * 4 + 3] = bx[p + 1] + hh;
            } else {
                out[i * 4] = Math.min(bx[p + 1], bx[p + 3]);
                out[i * 4 + 1] = Math.min(bx[p], bx[p + 2]);
                out[i * 4 + 2] = Math.max(bx[p + 1], bx[p + 3]);
                out[i * 4 + 3] = Math.max(bx[p], bx[p + 2]);
            }
        }
    }

    /** Intersection over union in float; 0 when the boxes do not overlap or an area is not positive. */
    private static float iou(float[] c, int a, int b) {
        float ixMin = Math.max(c[a * 4], c[b * 4]);
        float ixMax = Math.min(c[a * 4 + 2], c[b * 4 + 2]);
        if (ixMax <= ixMin) {
            return 0f;
        }
        float iyMin = Math.max(c[a * 4 + 1], c[b * 4 + 1]);
        float iyMax = Math.min(c[a * 4 + 3], c[b * 4 + 3]);
        if (iyMax <= iyMin) {
            return 0f;
        }
        float inter = (ixMax - ixMin) * (iyMax - iyMin);
        float areaA = (c[a * 4 + 2] - c[a * 4]) * (c[a * 4 + 3] - c[a * 4 + 1]);
        float areaB = (c[b * 4 + 2] - c[b * 4]) * (c[b * 4 + 3] - c[b * 4 + 1]);
        float union = areaA + areaB - inter;
        if (inter <= 0 || areaA <= 0 || areaB <= 0 || union <= 0) {
            return 0f;
        }
        return inter / union;
    }

    /** Sorts order[0, m) by descending score, equal scores by ascending box index. */
    private static void sortByScore(int[] order, int m, float[] sc, int off) {
        long[] keys = new long[m];
        for (int j = 0; j < m; j++) {
            int bits = Float.floatToIntBits(sc[off + order[j]]);
            int sortable = bits ^ ((bits >> 31) & 0x7fffffff); // orders like the float value
            keys[j] = ((long) ~sortable << 32) | (order[j] & 0xffffffffL); // descending score, ascending index
        }
        java.util.Arrays.sort(keys);
        for (int j = 0; j < m; j++) order[j] = (int) keys[j];
    }
}
