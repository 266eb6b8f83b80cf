package dev.kiln.core.io.caffe;

import dev.kiln.core.KilnException;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DetectionOutput on a hand-designed head: 20 priors tiling the unit square (5 across, 4 down, each
 * 0.2 x 0.25, so undecoded priors never overlap), 3 classes with background 0. Each case runs in
 * Kiln's executor and in ONNX Runtime on the exported model; both must give the expected rows.
 */
class DetectionOutputTest {
    private static final int P = 20;
    private static final int C = 3;
    private static final float TOL = 1e-5f;

    // Class 1: prior 0 (0.9), prior 1 moved onto prior 0 (0.8, suppressed), prior 7 widened (0.7),
    // prior 12 (0.3, below the 0.4 threshold). Class 2: prior 19 moved down (0.95), prior 18 moved onto
    // it (0.5, suppressed), prior 0 (0.6). Every other score is below 0.05; background scores are high.
    private static final float[] BOX0 = {0f, 0f, 0.2f, 0.25f};
    private static final float[] BOX7 = {0.3f, 0.25f, 0.7f, 0.5f};
    private static final float[] BOX19 = {0.8f, 0.8f, 1.0f, 1.05f};

    @Test
    void centerSizeHeadGivesCaffesRowsInLabelThenScoreOrder() throws Exception {
        float[][] rows = detect("keep_top_k: 10", "top_k: 10");
        assertRows(new float[][] {row(1, 0.9f, BOX0), row(1, 0.7f, BOX7), row(2, 0.95f, BOX19), row(2, 0.6f, BOX0)},
                rows);
    }

    @Test
    void keepTopKKeepsTheBestOverAllClassesInCaffesOrder() throws Exception {
        float[][] rows = detect("keep_top_k: 3", "top_k: 10");
        assertRows(new float[][] {row(1, 0.9f, BOX0), row(1, 0.7f, BOX7), row(2, 0.95f, BOX19)}, rows);
    }

    @Test
    void nmsTopKLimitsTheCandidatesBeforeSuppression() throws Exception {
        // class 1's two best candidates are prior 0 and prior 1, which suppresses: only prior 0 stays
        // (a limit on NMS's output would have kept prior 7 as well)
        float[][] rows = detect("keep_top_k: -1", "top_k: 2");
        assertRows(new float[][] {row(1, 0.9f, BOX0), row(2, 0.95f, BOX19), row(2, 0.6f, BOX0)}, rows);
    }

    @Test
    void noDetectionGivesCaffesRowOfMinusOnes() throws Exception {
        float[][] rows = detect("keep_top_k: 10 confidence_threshold: 0.99", "top_k: 10");
        assertRows(new float[][] {{0, -1, -1, -1, -1, -1, -1}}, rows);
    }

    @Test
    void withoutConfidenceThresholdEveryNonSuppressedPriorIsADetection() throws Exception {
        float[][] rows = runBoth(net("keep_top_k: 100", "top_k: 100", false), inputs());
        // per class, 20 priors minus the two moved ones (prior 1 under prior 0, prior 18 under prior 19)
        assertEquals(2 * P - 4, rows.length);
        for (int i = 1; i < rows.length; i++) {
            assertTrue(rows[i - 1][1] < rows[i][1] || rows[i - 1][1] == rows[i][1] && rows[i - 1][2] >= rows[i][2],
                    "label ascending, then score descending at row " + i);
        }
    }

    @Test
    void cornerAndCornerSizeCodesWithPerClassLocations() throws Exception {
        // share_location false: loc holds 3 boxes per prior; class 1 moves prior 0 by +1 (x 0.1 variance),
        // class 2 moves it by +1 (x variance x prior size) with CORNER_SIZE
        float[] loc = new float[P * C * 4];
        for (int j = 0; j < 4; j++) {
            loc[(0 * C + 1) * 4 + j] = 1f;
            loc[(0 * C + 2) * 4 + j] = 1f;
        }
        Map<String, Tensor> in = inputs();
        in.put("loc", Tensor.of(loc, 1, P * C * 4));
        float[][] corner = runBoth(net("keep_top_k: 10 code_type: CORNER share_location: false", "top_k: 10", true), in);
        float[][] cornerSize = runBoth(net("keep_top_k: 10 code_type: CORNER_SIZE share_location: false", "top_k: 10",
                true), in);
        // variances 0.1, 0.1, 0.2, 0.2; prior 0 is 0.2 x 0.25
        float[] c1 = {0.1f, 0.1f, 0.4f, 0.45f};
        float[] s2 = {0.02f, 0.025f, 0.24f, 0.3f};
        assertEquals(1, corner[0][1]);
        assertArrayEquals(c1, Arrays.copyOfRange(corner[0], 3, 7), TOL);
        float[] class2Prior0 = find(cornerSize, 2, 0.6f);
        assertArrayEquals(s2, Arrays.copyOfRange(class2Prior0, 3, 7), TOL);
    }

    @Test
    void randomCrowdedHeadsMatchCaffesAlgorithm() throws Exception {
        int priors = 60, classes = 4;
        int[][] limits = {{15, 12}, {-1, -1}, {5, 100}, {40, 3}};
        for (int seed = 0; seed < limits.length; seed++) {
            int topK = limits[seed][0], keepTopK = limits[seed][1];
            java.util.Random r = new java.util.Random(seed);
            float[] prior = new float[2 * priors * 4], loc = new float[priors * 4], conf = new float[priors * classes];
            for (int i = 0; i < priors; i++) {
                float cx = 0.3f + 0.4f * r.nextFloat(), cy = 0.3f + 0.4f * r.nextFloat();
                float w = 0.1f + 0.3f * r.nextFloat(), h = 0.1f + 0.3f * r.nextFloat();
                float[] box = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
                System.arraycopy(box, 0, prior, i * 4, 4);
                System.arraycopy(new float[] {0.1f, 0.1f, 0.2f, 0.2f}, 0, prior, priors * 4 + i * 4, 4);
            }
            for (int i = 0; i < loc.length; i++) {
                loc[i] = (float) r.nextGaussian() * 0.5f;
            }
            for (int i = 0; i < conf.length; i++) {
                conf[i] = r.nextFloat();
            }
            Map<String, Tensor> in = new LinkedHashMap<>();
            in.put("loc", Tensor.of(loc, 1, loc.length));
            in.put("conf", Tensor.of(conf, 1, conf.length));
            in.put("prior", Tensor.of(prior, 1, 2, priors * 4));
            String nms = "top_k: " + topK; // -1: no limit, as when absent
            CaffeNets n = CaffeNets.of(prototxt(1, priors, classes, "keep_top_k: " + keepTopK
                    + " confidence_threshold: 0.3", nms, false));
            float[][] expected = DetectionReference.detect(loc, conf, prior, classes, 0, 0.3f, 0.45f, topK, keepTopK);
            assertTrue(expected.length > 2, "a crowded head gives several detections");
            assertRows(expected, runBoth(n, in));
        }
    }

    @Test
    void typeInferenceLeavesTheDetectionCountOpen() {
        Model m = net("keep_top_k: 10", "top_k: 10", false).convert();
        TensorType t = m.graph().outputs().get(0).type();
        assertEquals(4, t.rank());
        assertFalse(t.dim(2).isKnown());
        assertEquals(7, t.dim(3).value());
        assertTrue(m.graph().nodes().stream().allMatch(nd -> nd.domain().isEmpty()), "standard domain only");
    }

    @Test
    void batchAboveOneIsRefused() {
        CaffeNets n = CaffeNets.of(prototxt(2, P, C, "keep_top_k: 10", "top_k: 10", false));
        KilnException e = assertThrows(KilnException.class, n::convert);
        assertTrue(e.getMessage().contains("only batch 1"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------

    private static float[][] detect(String param, String nms) throws Exception {
        String threshold = param.contains("confidence_threshold") ? "" : " confidence_threshold: 0.4";
        return runBoth(net(param + threshold, nms, false), inputs());
    }

    private static CaffeNets net(String param, String nms, boolean perClassLoc) {
        return CaffeNets.of(prototxt(1, P, C, param, nms, perClassLoc));
    }

    private static String prototxt(int batch, int priors, int classes, String param, String nms, boolean perClassLoc) {
        int locValues = priors * 4 * (perClassLoc ? classes : 1);
        return "layer { name: \"in\" type: \"Input\" top: \"loc\" top: \"conf\" top: \"prior\"\n"
                + "  input_param { shape { dim: " + batch + " dim: " + locValues + " } shape { dim: " + batch
                + " dim: " + priors * classes + " } shape { dim: 1 dim: 2 dim: " + priors * 4 + " } } }\n"
                + "layer { name: \"det\" type: \"DetectionOutput\" bottom: \"loc\" bottom: \"conf\" bottom: \"prior\""
                + " top: \"det\"\n  detection_output_param { num_classes: " + classes + " background_label_id: 0"
                + " code_type: CENTER_SIZE nms_param { nms_threshold: 0.45 " + nms + " } " + param + " } }";
    }

    /** Inputs of the designed head (CENTER_SIZE, variances 0.1, 0.1, 0.2, 0.2). */
    static Map<String, Tensor> inputs() {
        float[] prior = new float[2 * P * 4];
        for (int p = 0; p < P; p++) {
            float x = 0.2f * (p % 5), y = 0.25f * (p / 5);
            prior[p * 4] = x;
            prior[p * 4 + 1] = y;
            prior[p * 4 + 2] = x + 0.2f;
            prior[p * 4 + 3] = y + 0.25f;
            float[] v = {0.1f, 0.1f, 0.2f, 0.2f};
            System.arraycopy(v, 0, prior, P * 4 + p * 4, 4);
        }
        float[] loc = new float[P * 4];
        loc[1 * 4] = -9f;                          // prior 1: centre x -0.18 -> over prior 0
        loc[7 * 4 + 2] = (float) Math.log(2) / 0.2f; // prior 7: twice as wide
        loc[19 * 4 + 1] = 2f;                      // prior 19: centre y +0.05
        loc[18 * 4] = 9f;                          // prior 18: centre x +0.18 -> over prior 19
        float[] conf = new float[P * C];
        for (int p = 0; p < P; p++) {
            conf[p * C] = 0.97f;
            conf[p * C + 1] = 0.01f + 0.001f * p;
            conf[p * C + 2] = 0.02f + 0.001f * p;
        }
        conf[0 * C + 1] = 0.9f;
        conf[1 * C + 1] = 0.8f;
        conf[7 * C + 1] = 0.7f;
        conf[12 * C + 1] = 0.3f;
        conf[19 * C + 2] = 0.95f;
        conf[18 * C + 2] = 0.5f;
        conf[0 * C + 2] = 0.6f;
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("loc", Tensor.of(loc, 1, P * 4));
        in.put("conf", Tensor.of(conf, 1, P * C));
        in.put("prior", Tensor.of(prior, 1, 2, P * 4));
        return in;
    }

    /** Runs in Kiln and in ONNX Runtime, checks both agree exactly in shape and closely in value, returns the rows. */
    static float[][] runBoth(CaffeNets n, Map<String, Tensor> in) throws Exception {
        return runBoth(n.convert(), in);
    }

    static float[][] runBoth(Model m, Map<String, Tensor> in) throws Exception {
        String out = m.graph().outputs().get(0).name();
        Tensor kiln = new Executor(m).run(in).get(out);
        Tensor ort = OrtOracle.run(m, in).get(out);
        assertArrayEquals(ort.shape(), kiln.shape(), "Kiln and ONNX Runtime output shapes");
        assertArrayEquals(ort.floats(), kiln.floats(), TOL, "Kiln and ONNX Runtime rows");
        assertEquals(4, kiln.rank());
        return rows(kiln);
    }

    static float[][] rows(Tensor t) {
        float[] f = t.floats();
        float[][] r = new float[f.length / 7][];
        for (int i = 0; i < r.length; i++) {
            r[i] = Arrays.copyOfRange(f, i * 7, i * 7 + 7);
        }
        return r;
    }

    private static float[] row(int label, float score, float[] box) {
        return new float[] {0, label, score, box[0], box[1], box[2], box[3]};
    }

    private static float[] find(float[][] rows, int label, float score) {
        for (float[] r : rows) {
            if (r[1] == label && Math.abs(r[2] - score) < TOL) {
                return r;
            }
        }
        throw new AssertionError("no row with label " + label + " and score " + score);
    }

    /** The same rows in any order, then the same order (label ascending, score descending). */
    static void assertRows(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length, "number of rows: " + Arrays.deepToString(actual));
        Comparator<float[]> byContent = Comparator.<float[]>comparingDouble(r -> r[1]).thenComparingDouble(r -> -r[2]);
        List<float[]> e = new ArrayList<>(Arrays.asList(expected)), a = new ArrayList<>(Arrays.asList(actual));
        e.sort(byContent);
        a.sort(byContent);
        for (int i = 0; i < e.size(); i++) {
            assertArrayEquals(e.get(i), a.get(i), TOL, "row set, row " + i + ": " + Arrays.deepToString(actual));
        }
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], TOL, "row order, row " + i + ": " + Arrays.deepToString(actual));
        }
    }
}
