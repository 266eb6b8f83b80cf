package dev.kiln.core.io.caffe;

import dev.kiln.core.KilnException;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

import static dev.kiln.core.io.caffe.CaffeRef.assertClose;
import static dev.kiln.core.io.caffe.CaffeRef.input;
import static dev.kiln.core.io.caffe.CaffeRef.random;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Interp, Upsample and ArgMax against the forks' and Caffe's loops. */
class CaffeResizeLayersTest {
    /** The Interp layer's bilinear loop (aligned corners) over the input cropped by -pad_beg .. H + pad_end. */
    static Tensor interp(Tensor x, int padBeg, int padEnd, int oh, int ow) {
        int h = x.dim(2);
        int w = x.dim(3);
        int h1 = h + padBeg + padEnd;
        int w1 = w + padBeg + padEnd;
        float rh = oh > 1 ? (float) (h1 - 1) / (oh - 1) : 0f;
        float rw = ow > 1 ? (float) (w1 - 1) / (ow - 1) : 0f;
        int planes = x.dim(0) * x.dim(1);
        float[] out = new float[planes * oh * ow];
        float[] in = x.floats();
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < oh; y++) {
                float hr = rh * y;
                int y0 = (int) hr;
                int yp = y0 < h1 - 1 ? 1 : 0;
                float ly = hr - y0;
                for (int xx = 0; xx < ow; xx++) {
                    float wr = rw * xx;
                    int x0 = (int) wr;
                    int xp = x0 < w1 - 1 ? 1 : 0;
                    float lx = wr - x0;
                    int base = p * h * w;
                    int r0 = (y0 - padBeg) * w - padBeg;
                    int r1 = (y0 + yp - padBeg) * w - padBeg;
                    out[(p * oh + y) * ow + xx] = (1 - ly) * ((1 - lx) * in[base + r0 + x0] + lx * in[base + r0 + x0 + xp])
                            + ly * ((1 - lx) * in[base + r1 + x0] + lx * in[base + r1 + x0 + xp]);
                }
            }
        }
        return Tensor.of(out, x.dim(0), x.dim(1), oh, ow);
    }

    private static Tensor interpNet(Tensor x, String param) {
        return CaffeNets.of(input("data", x.shape()) + "layer { name: \"ip\" type: \"Interp\" bottom: \"data\" top: \"y\" "
                + "interp_param { " + param + " } }").run("data", x).get("y");
    }

    @Test
    void interpZoomShrinkAndExplicitSizes() {
        Tensor x = random(1, 2, 3, 5, 7);
        assertClose(interp(x, 0, 0, 9, 13), interpNet(x, "zoom_factor: 2"));
        assertClose(interp(x, 0, 0, 3, 4), interpNet(x, "shrink_factor: 2"));
        // shrink first ((5 - 1) / 2 + 1 = 3), then zoom (3 + 2 · 2 = 7)
        assertClose(interp(x, 0, 0, 7, 10), interpNet(x, "shrink_factor: 2 zoom_factor: 3"));
        assertClose(interp(x, 0, 0, 11, 4), interpNet(x, "height: 11 width: 4"));
        assertClose(interp(x, 0, 0, 1, 6), interpNet(x, "height: 1 width: 6"));
    }

    @Test
    void interpCropsByNegativePads() {
        Tensor x = random(2, 1, 2, 8, 9);
        // effective 6 x 7, zoomed by 3 → 16 x 19
        assertClose(interp(x, -1, -1, 16, 19), interpNet(x, "zoom_factor: 3 pad_beg: -1 pad_end: -1"));
        assertThrows(KilnException.class, () -> interpNet(x, "zoom_factor: 2 pad_beg: 1"));
    }

    @Test
    void interpToTheSizeOfASecondBottom() {
        Tensor x = random(3, 1, 2, 4, 5);
        CaffeNets net = CaffeNets.of(input("data", 1, 2, 4, 5) + input("ref", 1, 1, 7, 3)
                + "layer { name: \"ip\" type: \"Interp\" bottom: \"data\" bottom: \"ref\" top: \"y\" }");
        assertClose(interp(x, 0, 0, 7, 3), net.run(Map.of("data", x, "ref", random(4, 1, 1, 7, 3))).get("y"));
    }

    private static Tensor upsample(Tensor x, int sh, int sw) {
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = h * sh;
        int ow = w * sw;
        float[] out = new float[x.dim(0) * x.dim(1) * oh * ow];
        for (int p = 0; p < x.dim(0) * x.dim(1); p++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    out[(p * oh + y) * ow + xx] = x.floats()[(p * h + y / sh) * w + xx / sw];
                }
            }
        }
        return Tensor.of(out, x.dim(0), x.dim(1), oh, ow);
    }

    @Test
    void upsampleRepeatsEachPixel() {
        Tensor x = random(5, 2, 3, 5, 4);
        String head = input("data", 2, 3, 5, 4) + "layer { name: \"up\" type: \"Upsample\" bottom: \"data\" top: \"y\" ";
        assertClose(upsample(x, 2, 2), CaffeNets.of(head + "}").run("data", x).get("y"));
        assertClose(upsample(x, 3, 2), CaffeNets.of(head + "upsample_param { scale_h: 3 scale_w: 2 } }").run("data", x).get("y"));
        assertClose(upsample(x, 2, 3), CaffeNets.of(head + "upsample_param { upsample_h: 10 upsample_w: 12 } }")
                .run("data", x).get("y"));
    }

    /**
     * Caffe's ArgMax: per item (over everything after axis 0, or along axis) the (value, index) pairs
     * sorted descending; indices, values (with axis) or both rows (without).
     */
    static Tensor argMax(Tensor x, Integer axis, int k, boolean values) {
        int[] s = x.shape();
        int dim;
        int inner;
        int[] outShape;
        if (axis != null) {
            dim = s[axis];
            inner = x.size() / Arrays.stream(s, 0, axis + 1).reduce(1, (a, b) -> a * b);
            outShape = s.clone();
            outShape[axis] = k;
        } else {
            dim = x.size() / s[0];
            inner = 1;
            outShape = new int[Math.max(3, s.length)];
            Arrays.fill(outShape, 1);
            outShape[0] = s[0];
            outShape[1] = values ? 2 : 1;
            outShape[2] = k;
        }
        int num = x.size() / dim;
        float[] out = new float[Arrays.stream(outShape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < num; i++) {
            Integer[] idx = new Integer[dim];
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
                idx[j] = j;
                v[j] = x.floats()[(i / inner * dim + j) * inner + i % inner];
            }
            Arrays.sort(idx, Comparator.<Integer>comparingDouble(j -> v[j]).thenComparing(j -> j).reversed());
            for (int j = 0; j < k; j++) {
                if (axis == null && values) {
                    out[2 * i * k + j] = idx[j];
                    out[2 * i * k + k + j] = v[idx[j]];
                } else {
                    out[(i / inner * k + j) * inner + i % inner] = values ? v[idx[j]] : idx[j];
                }
            }
        }
        return Tensor.of(out, outShape);
    }

    private static Tensor argMaxNet(Tensor x, String param) {
        return CaffeNets.of(input("data", x.shape()) + "layer { name: \"am\" type: \"ArgMax\" bottom: \"data\" top: \"y\" "
                + "argmax_param { " + param + " } }").run("data", x).get("y");
    }

    @Test
    void argMaxAlongAnAxis() {
        Tensor x = random(6, 2, 5, 3, 4);
        assertClose(argMax(x, 1, 1, false), argMaxNet(x, "axis: 1"));
        assertClose(argMax(x, 1, 1, true), argMaxNet(x, "axis: 1 out_max_val: true"));
        assertClose(argMax(x, 3, 3, false), argMaxNet(x, "axis: -1 top_k: 3"));
        assertClose(argMax(x, 2, 2, true), argMaxNet(x, "axis: 2 top_k: 2 out_max_val: true"));
    }

    @Test
    void argMaxOverEachItemGivesIndicesThenValues() {
        Tensor x = random(7, 2, 3, 2, 5);
        assertClose(argMax(x, null, 1, false), argMaxNet(x, ""));
        assertClose(argMax(x, null, 4, true), argMaxNet(x, "top_k: 4 out_max_val: true"));
        Tensor flat = random(8, 3, 10);
        assertClose(argMax(flat, null, 2, false), argMaxNet(flat, "top_k: 2"));
        assertThrows(KilnException.class, () -> argMaxNet(flat, "top_k: 11"));
    }
}
