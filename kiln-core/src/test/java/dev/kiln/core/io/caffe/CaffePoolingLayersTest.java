package dev.kiln.core.io.caffe;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Model;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.kiln.core.io.caffe.CaffeRef.assertClose;
import static dev.kiln.core.io.caffe.CaffeRef.input;
import static dev.kiln.core.io.caffe.CaffeRef.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pooling and LRN against Caffe's forward loops, at sizes where the ceil overhang and the padding meet. */
class CaffePoolingLayersTest {
    /** One Pooling window: kernel, stride and pad per axis (h, w), and the rounding. */
    record Window(int kh, int kw, int sh, int sw, int ph, int pw, boolean ceil) {
        String param() {
            return "kernel_h: " + kh + " kernel_w: " + kw + " stride_h: " + sh + " stride_w: " + sw
                    + " pad_h: " + ph + " pad_w: " + pw + (ceil ? "" : " round_mode: FLOOR");
        }
    }

    /** Caffe's PoolingLayer: its output size and its MAX / AVE forward loops. */
    static Tensor caffePool(Tensor x, boolean max, Window g) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = pooledSize(h, g.kh, g.sh, g.ph, g.ceil);
        int ow = pooledSize(w, g.kw, g.sw, g.pw, g.ceil);
        if (g.ph != 0 || g.pw != 0) {
            if ((oh - 1) * g.sh >= h + g.ph) {
                oh--;
            }
            if ((ow - 1) * g.sw >= w + g.pw) {
                ow--;
            }
        }
        float[] in = x.floats();
        float[] out = new float[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++) {
            for (int py = 0; py < oh; py++) {
                for (int px = 0; px < ow; px++) {
                    int hs = py * g.sh - g.ph;
                    int ws = px * g.sw - g.pw;
                    int he = Math.min(hs + g.kh, max ? h : h + g.ph);
                    int we = Math.min(ws + g.kw, max ? w : w + g.pw);
                    int poolSize = (he - hs) * (we - ws);
                    hs = Math.max(hs, 0);
                    ws = Math.max(ws, 0);
                    he = Math.min(he, h);
                    we = Math.min(we, w);
                    double acc = max ? -Float.MAX_VALUE : 0;
                    for (int yy = hs; yy < he; yy++) {
                        for (int xx = ws; xx < we; xx++) {
                            float v = in[(plane * h + yy) * w + xx];
                            acc = max ? Math.max(acc, v) : acc + v;
                        }
                    }
                    out[(plane * oh + py) * ow + px] = (float) (max ? acc : acc / poolSize);
                }
            }
        }
        return Tensor.of(out, n, c, oh, ow);
    }

    private static int pooledSize(int size, int k, int s, int p, boolean ceil) {
        float q = (float) (size + 2 * p - k) / s;
        return (int) (ceil ? Math.ceil(q) : Math.floor(q)) + 1;
    }

    static CaffeNets poolNet(int[] shape, String pool, String param) {
        return CaffeNets.of(input("data", shape) + "layer { name: \"pool\" type: \"Pooling\" bottom: \"data\" top: \"pool\""
                + " pooling_param { pool: " + pool + " " + param + " } }");
    }

    private static void checkPool(boolean max, int h, int w, Window g, long seed) {
        Tensor x = random(seed, 2, 3, h, w);
        Tensor y = poolNet(x.shape(), max ? "MAX" : "AVE", g.param()).run("data", x).get("pool");
        assertClose(caffePool(x, max, g), y);
    }

    @Test
    void maxPoolingMatchesCaffeWithCeilPaddingAndTheDroppedLastWindow() {
        checkPool(true, 7, 7, new Window(3, 3, 2, 2, 1, 1, true), 1);
        checkPool(true, 8, 8, new Window(3, 3, 2, 2, 0, 0, true), 2);
        checkPool(true, 7, 7, new Window(2, 2, 2, 2, 1, 1, true), 3);
        // pad_h alone makes Caffe drop the last window along w too: 9 wide, kernel 2, stride 3 gives 3, not 4
        checkPool(true, 7, 9, new Window(3, 2, 2, 3, 1, 0, true), 4);
        checkPool(true, 7, 7, new Window(2, 2, 2, 2, 0, 0, false), 5);
    }

    @Test
    void averagePoolingCountsThePaddingButNotTheCeilOverhang() {
        // no padding, overhang: the divisor is the part inside the input
        checkPool(false, 8, 8, new Window(3, 3, 2, 2, 0, 0, true), 11);
        // padding, no overhang: the whole window counts
        checkPool(false, 7, 7, new Window(3, 3, 2, 2, 1, 1, true), 12);
        checkPool(false, 7, 7, new Window(2, 2, 2, 2, 1, 1, true), 13);
        // padding and overhang on both axes, and on the unpadded axis only
        checkPool(false, 8, 6, new Window(3, 3, 2, 2, 1, 1, true), 14);
        checkPool(false, 7, 8, new Window(3, 3, 2, 2, 1, 0, true), 15);
        // rounding down
        checkPool(false, 8, 8, new Window(3, 3, 2, 2, 1, 1, false), 16);
        checkPool(false, 9, 7, new Window(3, 2, 3, 2, 2, 1, true), 17);
    }

    @Test
    void overhangWithPaddingPadsExplicitlyAndNoOverhangDoesNot() {
        Model withPad = poolNet(new int[] {1, 1, 8, 6}, "AVE", new Window(3, 3, 2, 2, 1, 1, true).param()).convert();
        assertEquals("Pad", withPad.graph().nodes().get(0).opType());
        assertEquals(0L, withPad.graph().nodes().get(1).attrs().getInt("count_include_pad", -1));
        Model plain = poolNet(new int[] {1, 1, 7, 7}, "AVE", new Window(3, 3, 2, 2, 1, 1, true).param()).convert();
        assertEquals(1, plain.graph().nodes().size());
        assertEquals(1L, plain.graph().nodes().get(0).attrs().getInt("count_include_pad", -1));
        assertEquals(0L, plain.graph().nodes().get(0).attrs().getInt("ceil_mode", 0));
    }

    @Test
    void spellingsOfTheWindowAgree() {
        Tensor x = random(21, 1, 2, 9, 9);
        Tensor a = poolNet(x.shape(), "AVE", "kernel_size: 3 stride: 2 pad: 1").run("data", x).get("pool");
        assertClose(caffePool(x, false, new Window(3, 3, 2, 2, 1, 1, true)), a);
        Tensor b = poolNet(x.shape(), "MAX", "kernel_size: 3 stride: 2 ceil_mode: false").run("data", x).get("pool");
        assertClose(caffePool(x, true, new Window(3, 3, 2, 2, 0, 0, false)), b);
    }

    @Test
    void globalPoolingReducesEachPlane() {
        Tensor x = random(31, 2, 3, 5, 7);
        Tensor avg = poolNet(x.shape(), "AVE", "global_pooling: true").run("data", x).get("pool");
        Tensor max = poolNet(x.shape(), "MAX", "global_pooling: true").run("data", x).get("pool");
        assertClose(caffePool(x, false, new Window(5, 7, 1, 1, 0, 0, true)), avg);
        assertClose(caffePool(x, true, new Window(5, 7, 1, 1, 0, 0, true)), max);
    }

    @Test
    void stochasticPoolingAndWindowsPastTheInputAreRefused() {
        KilnException e = assertThrows(KilnException.class,
                () -> poolNet(new int[] {1, 1, 4, 4}, "STOCHASTIC", "kernel_size: 2 stride: 2").convert());
        assertTrue(e.getMessage().contains("layer 'pool' (Pooling)") && e.getMessage().contains("STOCHASTIC"), e.getMessage());
        // no padding, kernel 1, stride 3 over 5: Caffe's ceil puts a third window at 6
        KilnException past = assertThrows(KilnException.class,
                () -> poolNet(new int[] {1, 1, 5, 5}, "MAX", "kernel_size: 1 stride: 3").convert());
        assertTrue(past.getMessage().contains("starts past the input"), past.getMessage());
    }

    /** Caffe's LRN: across channels k + alpha/n Σ x², within a channel 1 + alpha/n² Σ x² over a padded window. */
    static Tensor caffeLrn(Tensor x, boolean across, int size, double alpha, double beta, double k) {
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        float[] in = x.floats();
        float[] out = new float[in.length];
        int pre = (size - 1) / 2;
        for (int n = 0; n < x.dim(0); n++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        double sum = 0;
                        if (across) {
                            for (int j = ch - pre; j < ch - pre + size; j++) {
                                if (j >= 0 && j < c) {
                                    double v = in[((n * c + j) * h + y) * w + xx];
                                    sum += v * v;
                                }
                            }
                        } else {
                            for (int yy = y - pre; yy < y - pre + size; yy++) {
                                for (int x2 = xx - pre; x2 < xx - pre + size; x2++) {
                                    if (yy >= 0 && yy < h && x2 >= 0 && x2 < w) {
                                        double v = in[((n * c + ch) * h + yy) * w + x2];
                                        sum += v * v;
                                    }
                                }
                            }
                        }
                        double scale = across ? k + alpha / size * sum : 1 + alpha / (size * size) * sum;
                        int i = ((n * c + ch) * h + y) * w + xx;
                        out[i] = (float) (in[i] * Math.pow(scale, -beta));
                    }
                }
            }
        }
        return Tensor.of(out, x.shape());
    }

    private static Tensor lrn(Tensor x, String param) {
        return CaffeNets.of(input("data", x.shape()) + "layer { name: \"norm\" type: \"LRN\" bottom: \"data\" top: \"norm\""
                + " lrn_param { " + param + " } }").run("data", x).get("norm");
    }

    @Test
    void lrnAcrossChannelsIsOnnxLrnWithBiasK() {
        Tensor x = random(41, -3f, 3f, 2, 7, 3, 5);
        assertClose(caffeLrn(x, true, 5, 0.3, 0.75, 2), lrn(x, "local_size: 5 alpha: 0.3 beta: 0.75 k: 2"));
        assertClose(caffeLrn(x, true, 3, 1e-4, 0.75, 1), lrn(x, "local_size: 3 alpha: 0.0001"));
    }

    @Test
    void lrnWithinChannelAveragesSquaresOverAPaddedWindowAndIgnoresK() {
        Tensor x = random(42, -3f, 3f, 1, 3, 7, 6);
        assertClose(caffeLrn(x, false, 3, 0.5, 0.6, 1), lrn(x, "local_size: 3 alpha: 0.5 beta: 0.6 k: 4 norm_region: WITHIN_CHANNEL"));
        assertClose(caffeLrn(x, false, 5, 2, 0.75, 1), lrn(x, "local_size: 5 alpha: 2 norm_region: WITHIN_CHANNEL"));
        assertThrows(KilnException.class, () -> lrn(x, "local_size: 4"));
    }
}
