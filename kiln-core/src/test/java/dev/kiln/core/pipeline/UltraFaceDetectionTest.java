package dev.kiln.core.pipeline;

import dev.kiln.core.config.Config;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.caffe.CaffeImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.testing.TestData;
import dev.kiln.core.testing.TestImages;
import dev.kiln.core.util.ProgressSink;
import dev.kiln.runtime.engine.BinPackage;
import dev.kiln.runtime.engine.Input;
import dev.kiln.runtime.engine.LoadedModel;
import dev.kiln.runtime.engine.Output;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Task accuracy of an int8 Caffe face detector: UltraFace RFB-320 (Caffe files) converted by makertbin
 * (default calibration on 12 of the face photos, RGB camera input), its .bin run by Kiln's runtime on
 * all 24 photos, faces decoded with the model's published priors and NMS (score 0.7, IoU 0.3) and
 * matched with the float model's faces (IoU >= 0.5): the int8 detector finds at least 95 % of the
 * float detector's faces and at least 95 % of its faces are found by the float detector too.
 */
class UltraFaceDetectionTest {
    private static final float SCORE = 0.7f;
    private static final float NMS_IOU = 0.3f;
    private static final float MATCH_IOU = 0.5f;
    private static final double MIN_RECALL = 0.95;
    private static final double MIN_PRECISION = 0.95;

    @TempDir
    Path dir;

    @Test
    void int8FacesMatchFloatFaces() throws IOException {
        Path caffe = TestData.require("models/ultraface/caffe/RFB-320");
        List<Path> photos;
        try (Stream<Path> s = Files.list(TestData.require("images/faces"))) {
            photos = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        Path cal = UltraFaceConfigs.faces(dir, "cal", 12);
        Path yaml = UltraFaceConfigs.write(dir, "rfb", "  prototxt: '" + caffe.resolve("RFB-320.prototxt") + "'\n"
                + "  caffe_model: '" + caffe.resolve("RFB-320.caffemodel") + "'", "bayes-e", "rgb NHWC", cal, "default");
        Config cfg = Makertbin.loadConfig(yaml, ModelType.CAFFE);
        Makertbin.Result r = Makertbin.run(cfg, RunLog.silent(), new Makertbin.Options(2, ProgressSink.NONE));
        LoadedModel bin = BinPackage.open(r.files().get("rfb.bin")).load("rfb", 2);
        Model floatModel = CaffeImporter.load(caffe.resolve("RFB-320.prototxt"), caffe.resolve("RFB-320.caffemodel"), w -> { });
        Executor ex = new Executor(floatModel, 2);
        String in = floatModel.graph().inputs().get(0).name();
        int floatFaces = 0;
        int int8Faces = 0;
        int matched = 0;
        for (Path p : photos) {
            Map<String, Tensor> f = ex.run(Map.of(in, TestImages.rgbNchw(p, 320, 240, 127f, 128f)));
            List<float[]> ref = faces(f.get("scores").floats(), f.get("boxes").floats());
            byte[] hwc = (byte[]) TestImages.rgbBytes(p, 320, 240).data();
            Map<String, Output> q = bin.infer(Map.of(bin.inputs().get(0).name(), Input.bytes(hwc)));
            List<float[]> got = faces(q.get("scores").dequantized().floats(), q.get("boxes").dequantized().floats());
            floatFaces += ref.size();
            int8Faces += got.size();
            matched += matches(ref, got);
        }
        double recall = matched / (double) floatFaces;
        double precision = matched / (double) int8Faces;
        System.out.printf("UltraFace RFB-320 (Caffe) on %d photos: float %d faces, int8 .bin %d faces, %d matched "
                + "(recall %.4f, precision %.4f)%n", photos.size(), floatFaces, int8Faces, matched, recall, precision);
        assertTrue(floatFaces > 100, "the float detector finds faces: " + floatFaces);
        assertTrue(recall >= MIN_RECALL, "int8 recall of the float faces " + recall);
        assertTrue(precision >= MIN_PRECISION, "int8 faces also found in float " + precision);
    }

    /** Faces (x1, y1, x2, y2, score) from the raw outputs, with UltraFace's priors, decoding and hard NMS. */
    static List<float[]> faces(float[] scores, float[] loc) {
        float[][] priors = priors();
        List<float[]> cand = new ArrayList<>();
        for (int i = 0; i < priors.length; i++) {
            float s = scores[i * 2 + 1];
            if (s <= SCORE) {
                continue;
            }
            float[] p = priors[i];
            float cx = loc[i * 4] * 0.1f * p[2] + p[0];
            float cy = loc[i * 4 + 1] * 0.1f * p[3] + p[1];
            float w = (float) Math.exp(loc[i * 4 + 2] * 0.2f) * p[2];
            float h = (float) Math.exp(loc[i * 4 + 3] * 0.2f) * p[3];
            cand.add(new float[] {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, s});
        }
        cand.sort((a, b) -> Float.compare(b[4], a[4]));
        List<float[]> kept = new ArrayList<>();
        for (float[] c : cand) {
            boolean keep = true;
            for (float[] k : kept) {
                keep &= iou(c, k) <= NMS_IOU;
            }
            if (keep) {
                kept.add(c);
            }
        }
        return kept;
    }

    /** The 4,420 priors of the 320x240 model (centre x, centre y, width, height; normalized). */
    static float[][] priors() {
        int[] strides = {8, 16, 32, 64};
        float[][] minBoxes = {{10, 16, 24}, {32, 48}, {64, 96}, {128, 192, 256}};
        List<float[]> out = new ArrayList<>();
        for (int k = 0; k < strides.length; k++) {
            int fw = (int) Math.ceil(320.0 / strides[k]);
            int fh = (int) Math.ceil(240.0 / strides[k]);
            for (int j = 0; j < fh; j++) {
                for (int i = 0; i < fw; i++) {
                    for (float m : minBoxes[k]) {
                        out.add(new float[] {(i + 0.5f) / (320f / strides[k]), (j + 0.5f) / (240f / strides[k]),
                                m / 320f, m / 240f});
                    }
                }
            }
        }
        return out.toArray(new float[0][]);
    }

    private static int matches(List<float[]> ref, List<float[]> got) {
        boolean[] used = new boolean[got.size()];
        int n = 0;
        for (float[] r : ref) {
            int best = -1;
            float bestIou = MATCH_IOU;
            for (int i = 0; i < got.size(); i++) {
                float v = iou(r, got.get(i));
                if (!used[i] && v >= bestIou) {
                    best = i;
                    bestIou = v;
                }
            }
            if (best >= 0) {
                used[best] = true;
                n++;
            }
        }
        return n;
    }

    private static float iou(float[] a, float[] b) {
        float w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        float h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        float inter = w * h;
        float union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
