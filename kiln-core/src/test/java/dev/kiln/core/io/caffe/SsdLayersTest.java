package dev.kiln.core.io.caffe;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Permute, Normalize and PriorBox against loops written from the Caffe-SSD definitions. */
class SsdLayersTest {
    private static final float TOL = 1e-5f;

    @Test
    void permuteMovesTheGivenAxesFirstAndKeepsTheRestInOrder() {
        int[] shape = {1, 2, 3, 4};
        float[] x = random(24, 1);
        // order [0, 2, 3, 1] (NCHW -> NHWC, as SSD heads use it)
        float[] y = run(net("permute_param { order: 0 order: 2 order: 3 order: 1 }", "Permute", shape), x, shape);
        assertArrayEquals(permuteRef(x, shape, new int[] {0, 2, 3, 1}), y, 0f);
        // order [0, 2]: the missing axes 1 and 3 follow in their order
        y = run(net("permute_param { order: 0 order: 2 }", "Permute", shape), x, shape);
        assertArrayEquals(permuteRef(x, shape, new int[] {0, 2, 1, 3}), y, 0f);
    }

    @Test
    void identityPermuteIsIdentity() {
        Model m = net("permute_param { order: 0 order: 1 }", "Permute", new int[] {1, 2, 3, 4}).convert();
        assertEquals(1, m.graph().nodes().size());
        assertEquals("Identity", m.graph().nodes().get(0).opType());
    }

    @Test
    void normalizeAcrossChannelsAndAcrossSpatialWithSharedOrPerChannelScale() {
        int[] shape = {2, 3, 2, 4};
        float[] x = random(48, 2);
        float[] perChannel = {0.5f, 2f, 20f};
        for (boolean acrossSpatial : new boolean[] {false, true}) {
            for (boolean shared : new boolean[] {false, true}) {
                float[] scale = shared ? new float[] {10f} : perChannel;
                String param = "norm_param { across_spatial: " + acrossSpatial + " channel_shared: " + shared
                        + " eps: 0.001 }";
                CaffeNets n = net(param, "Normalize", shape).blob("l", Tensor.of(scale, scale.length));
                float[] y = run(n, x, shape);
                assertArrayEquals(normalizeRef(x, shape, acrossSpatial, scale, 0.001f), y, TOL,
                        "across_spatial " + acrossSpatial + ", channel_shared " + shared);
            }
        }
    }

    @Test
    void priorBoxOnA2x2MapWithTwoMinSizesMaxSizesFlipClipStepAndOffset() {
        Tensor pb = priorBox(100, 100, """
                min_size: 20 min_size: 30 max_size: 40 max_size: 60 aspect_ratio: 2 aspect_ratio: 2.0000001
                flip: true clip: true step: 40 offset: 0.25 variance: 0.1 variance: 0.1 variance: 0.2 variance: 0.2""");
        // per cell: min 20, sqrt(20*40), 20 at ratio 2 and 1/2, then the same for min 30 / max 60
        float[][] half = {{10, 10}, {14.142136f, 14.142136f}, {14.142136f, 7.071068f}, {7.071068f, 14.142136f},
                {15, 15}, {21.213203f, 21.213203f}, {21.213203f, 10.606602f}, {10.606602f, 21.213203f}};
        // cell centres, row by row: ((w + 0.25) * 40, (h + 0.25) * 40)
        float[][] centre = {{10, 10}, {50, 10}, {10, 50}, {50, 50}};
        float[] expected = new float[2 * 4 * 8 * 4];
        int i = 0;
        for (float[] c : centre) {
            for (float[] hw : half) {
                expected[i++] = clip01((c[0] - hw[0]) / 100);
                expected[i++] = clip01((c[1] - hw[1]) / 100);
                expected[i++] = clip01((c[0] + hw[0]) / 100);
                expected[i++] = clip01((c[1] + hw[1]) / 100);
            }
        }
        for (int k = 0; k < 4 * 8; k++) {
            expected[i++] = 0.1f;
            expected[i++] = 0.1f;
            expected[i++] = 0.2f;
            expected[i++] = 0.2f;
        }
        assertArrayEquals(new int[] {1, 2, 128}, pb.shape());
        assertArrayEquals(expected, pb.floats(), 1e-6f);
    }

    @Test
    void priorBoxDefaultsStepFromTheImageAndVarianceToOneTenth() {
        Tensor pb = priorBox(60, 80, "min_size: 10 aspect_ratio: 3 flip: false");
        // step 80/2 = 40 across, 60/2 = 30 down; boxes 10x10 and 10*sqrt(3) x 10/sqrt(3), no flip, no clip
        float w3 = 10 * (float) Math.sqrt(3) / 2, h3 = 10 / (float) Math.sqrt(3) / 2;
        float[] expected = {
            (20 - 5) / 80f, (15 - 5) / 60f, (20 + 5) / 80f, (15 + 5) / 60f,
            (20 - w3) / 80f, (15 - h3) / 60f, (20 + w3) / 80f, (15 + h3) / 60f,
            (60 - 5) / 80f, (15 - 5) / 60f, (60 + 5) / 80f, (15 + 5) / 60f,
            (60 - w3) / 80f, (15 - h3) / 60f, (60 + w3) / 80f, (15 + h3) / 60f,
            (20 - 5) / 80f, (45 - 5) / 60f, (20 + 5) / 80f, (45 + 5) / 60f,
            (20 - w3) / 80f, (45 - h3) / 60f, (20 + w3) / 80f, (45 + h3) / 60f,
            (60 - 5) / 80f, (45 - 5) / 60f, (60 + 5) / 80f, (45 + 5) / 60f,
            (60 - w3) / 80f, (45 - h3) / 60f, (60 + w3) / 80f, (45 + h3) / 60f,
        };
        assertArrayEquals(new int[] {1, 2, 32}, pb.shape());
        float[] got = pb.floats();
        for (int i = 0; i < 32; i++) {
            assertEquals(expected[i], got[i], 1e-6f, "value " + i);
            assertEquals(0.1f, got[32 + i], 0f);
        }
    }

    // ------------------------------------------------------------------------------------------

    private static CaffeNets net(String param, String type, int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(" dim: ").append(d);
        }
        return CaffeNets.of("layer { name: \"data\" type: \"Input\" top: \"data\" input_param { shape {" + dims
                + " } } }\nlayer { name: \"l\" type: \"" + type + "\" bottom: \"data\" top: \"y\" " + param + " }");
    }

    private static float[] run(CaffeNets n, float[] x, int[] shape) {
        Map<String, Tensor> out = n.run("data", Tensor.of(x, shape));
        return out.get("y").floats();
    }

    /** The prior constant of a PriorBox layer over a 2x2 feature map and an imageH x imageW image. */
    private static Tensor priorBox(int imageH, int imageW, String param) {
        Model m = CaffeNets.of("layer { name: \"in\" type: \"Input\" top: \"feat\" top: \"img\" input_param {"
                + " shape { dim: 1 dim: 4 dim: 2 dim: 2 } shape { dim: 1 dim: 3 dim: " + imageH + " dim: " + imageW
                + " } } }\nlayer { name: \"pb\" type: \"PriorBox\" bottom: \"feat\" bottom: \"img\" top: \"pb\""
                + " prior_box_param { " + param + " } }\n"
                + "layer { name: \"keep\" type: \"ReLU\" bottom: \"pb\" top: \"keep\" }").convert();
        for (Value v : m.graph().initializers()) {
            if (v.name().equals("pb")) {
                return v.constant().tensor();
            }
        }
        throw new AssertionError("no constant pb");
    }

    private static float clip01(float v) {
        return Math.min(Math.max(v, 0f), 1f);
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static float[] permuteRef(float[] x, int[] shape, int[] order) {
        int rank = shape.length;
        int[] outShape = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[order[i]];
        }
        int[] inStride = Shapes.strides(shape), outStride = Shapes.strides(outShape);
        float[] y = new float[x.length];
        for (int o = 0; o < y.length; o++) {
            int rem = o, src = 0;
            for (int d = 0; d < rank; d++) {
                int idx = rem / outStride[d];
                rem %= outStride[d];
                src += idx * inStride[order[d]];
            }
            y[o] = x[src];
        }
        return y;
    }

    /** Caffe-SSD's NormalizeLayer::Forward_cpu: norm = sqrt(sum of squares + eps), then the scale. */
    private static float[] normalizeRef(float[] x, int[] shape, boolean acrossSpatial, float[] scale, float eps) {
        int n = shape[0], c = shape[1], spatial = shape[2] * shape[3], dim = c * spatial;
        float[] y = new float[x.length];
        for (int b = 0; b < n; b++) {
            if (acrossSpatial) {
                double sum = eps;
                for (int i = 0; i < dim; i++) {
                    sum += (double) x[b * dim + i] * x[b * dim + i];
                }
                for (int i = 0; i < dim; i++) {
                    y[b * dim + i] = (float) (x[b * dim + i] / Math.sqrt(sum));
                }
            } else {
                for (int s = 0; s < spatial; s++) {
                    double sum = eps;
                    for (int ch = 0; ch < c; ch++) {
                        float v = x[b * dim + ch * spatial + s];
                        sum += (double) v * v;
                    }
                    for (int ch = 0; ch < c; ch++) {
                        int i = b * dim + ch * spatial + s;
                        y[i] = (float) (x[i] / Math.sqrt(sum));
                    }
                }
            }
            for (int ch = 0; ch < c; ch++) {
                for (int s = 0; s < spatial; s++) {
                    y[b * dim + ch * spatial + s] *= scale.length == 1 ? scale[0] : scale[ch];
                }
            }
        }
        return y;
    }
}
