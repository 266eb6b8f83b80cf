package dev.kiln.core.io.caffe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Caffe-SSD's DetectionOutputLayer::Forward_cpu for one image, shared locations and CENTER_SIZE
 * codes, written from its definition as a test oracle: decode, per class keep the scores above the
 * threshold, stable-sort them descending, keep top_k, greedy NMS (drop on overlap above the
 * threshold), keep the best keep_top_k over all classes, write rows by label then NMS order.
 */
final class DetectionReference {
    private DetectionReference() {
    }

    static float[][] detect(float[] loc, float[] conf, float[] prior, int classes, int background, float confThreshold,
                            float nmsThreshold, int topK, int keepTopK) {
        int p = loc.length / 4;
        float[][] boxes = new float[p][];
        for (int i = 0; i < p; i++) {
            float pw = prior[i * 4 + 2] - prior[i * 4], ph = prior[i * 4 + 3] - prior[i * 4 + 1];
            float pcx = (prior[i * 4] + prior[i * 4 + 2]) / 2f, pcy = (prior[i * 4 + 1] + prior[i * 4 + 3]) / 2f;
            int v = p * 4 + i * 4;
            float cx = prior[v] * loc[i * 4] * pw + pcx, cy = prior[v + 1] * loc[i * 4 + 1] * ph + pcy;
            float w = (float) Math.exp(prior[v + 2] * loc[i * 4 + 2]) * pw;
            float h = (float) Math.exp(prior[v + 3] * loc[i * 4 + 3]) * ph;
            boxes[i] = new float[] {cx - w / 2f, cy - h / 2f, cx + w / 2f, cy + h / 2f};
        }
        List<int[]> kept = new ArrayList<>(); // (label, prior), label-major in NMS order
        for (int c = 0; c < classes; c++) {
            if (c == background) {
                continue;
            }
            final int cls = c;
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < p; i++) {
                if (conf[i * classes + c] > confThreshold) {
                    order.add(i);
                }
            }
            order.sort(Comparator.comparingDouble(i -> -conf[i * classes + cls])); // stable
            if (topK > -1 && topK < order.size()) {
                order = order.subList(0, topK);
            }
            List<Integer> sel = new ArrayList<>();
            for (int i : order) {
                boolean keep = true;
                for (int s : sel) {
                    keep &= overlap(boxes[i], boxes[s]) <= nmsThreshold;
                }
                if (keep) {
                    sel.add(i);
                    kept.add(new int[] {c, i});
                }
            }
        }
        if (keepTopK > -1 && kept.size() > keepTopK) {
            List<int[]> best = new ArrayList<>(kept);
            best.sort(Comparator.comparingDouble(k -> -conf[k[1] * classes + k[0]]));
            List<int[]> top = best.subList(0, keepTopK);
            kept.removeIf(k -> !top.contains(k));
        }
        if (kept.isEmpty()) {
            return new float[][] {{0, -1, -1, -1, -1, -1, -1}};
        }
        float[][] rows = new float[kept.size()][];
        for (int r = 0; r < rows.length; r++) {
            int c = kept.get(r)[0], i = kept.get(r)[1];
            float[] b = boxes[i];
            rows[r] = new float[] {0, c, conf[i * classes + c], b[0], b[1], b[2], b[3]};
        }
        return rows;
    }

    /** Caffe's JaccardOverlap for normalized boxes. */
    private static float overlap(float[] a, float[] b) {
        if (b[0] > a[2] || b[2] < a[0] || b[1] > a[3] || b[3] < a[1]) {
            return 0f;
        }
        float iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        float ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) {
            return 0f;
        }
        float inter = iw * ih;
        float sa = (a[2] - a[0]) * (a[3] - a[1]), sb = (b[2] - b[0]) * (b[3] - b[1]);
        return inter / (sa + sb - inter);
    }
}
