package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.QuantParams;
import dev.kiln.core.KilnException;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.kiln.core.ops.SingleNodeModel.EXACT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * QLinearConv, QLinearMatMul, ConvInteger and MatMulInteger against ONNX Runtime on random
 * models (shapes, strides, pads, dilations, groups, per-channel parameters, int8 and uint8), and
 * against a naive reference where ONNX Runtime does not go (per-channel zero points that differ,
 * int8 ConvInteger, per-row zero points). Every output must be identical: ORT's integer kernels
 * accumulate exactly on this machine (VNNI or 16-bit-widened products; the saturating
 * {@code vpmaddubsw} path of AVX2-only CPUs is not taken) and requantize in float32 like
 * {@link QuantMath#requantize}. Measured: none of the ~12 000 random QLinearConv outputs nor the
 * matrix-product outputs differ by even one unit. Random data almost never lands within a float32
 * rounding error of a .5 boundary, so {@link #requantizationRoundsInFloat32LikeOrt} builds such
 * accumulators on purpose (a double requantization passes the random cases and fails that one).
 */
class IntegerOpsTest {
    /** One random convolution: geometry, types and quantization parameters. */
    static final class Conv {
        int batch = 1;
        int inChannels = 3;
        int outChannels = 4;
        int group = 1;
        int[] spatial = {6, 7};
        int[] kernel = {3, 3};
        long[] strides;
        long[] dilations;
        long[] pads;
        String autoPad;
        DType xType = DType.UINT8;
        DType wType = DType.INT8;
        boolean perChannel;
        boolean bias = true;
        boolean weightsAsInput;
        int wZeroPoint = 0;

        Conv spatial(int... s) {
            spatial = s;
            return this;
        }

        Conv kernel(int... k) {
            kernel = k;
            return this;
        }

        Conv channels(int in, int out, int g) {
            inChannels = in;
            outChannels = out;
            group = g;
            return this;
        }

        Conv types(DType x, DType w) {
            xType = x;
            wType = w;
            return this;
        }

        @Override
        public String toString() {
            return "conv x" + xType + " w" + wType + " N" + batch + " C" + inChannels + " M" + outChannels + " g" + group
                    + " in" + Arrays.toString(spatial) + " k" + Arrays.toString(kernel) + " s" + Arrays.toString(strides)
                    + " d" + Arrays.toString(dilations) + " p" + Arrays.toString(pads) + " " + autoPad
                    + (perChannel ? " per-channel" : "") + (bias ? " bias" : "") + " wzp" + wZeroPoint;
        }

        /** The QLinearConv node with random data from seed; the output scale spreads results over the range. */
        SingleNodeModel qlinear(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int[] xShape = concat(new int[] {batch, inChannels}, spatial);
            int[] wShape = concat(new int[] {outChannels, inChannels / group}, kernel);
            Tensor x = full(seed, xType, xShape);
            Tensor w = full(seed + 1, wType, wShape);
            float xScale = (float) Math.exp(r.nextDouble(-5, -1));
            float[] wScale = new float[perChannel ? outChannels : 1];
            for (int i = 0; i < wScale.length; i++) {
                wScale[i] = (float) Math.exp(r.nextDouble(-6, -2));
            }
            int k = inChannels / group;
            for (int d : kernel) {
                k *= d;
            }
            float yScale = (float) (xScale * wScale[0] * Math.sqrt(k) * 5000 / 60 * r.nextDouble(0.5, 2));
            SingleNodeModel m = new SingleNodeModel().input(x).constant(Tensor.scalar(xScale))
                    .constant(zeroPoint(r, xType));
            if (weightsAsInput) {
                m.input(w);
            } else {
                m.constant(w);
            }
            m.constant(perChannel ? Tensor.of(wScale, outChannels) : Tensor.scalar(wScale[0]));
            Tensor wZp = Tensor.allocate(wType, perChannel ? new int[] {outChannels} : new int[0]);
            for (int i = 0; i < wZp.size(); i++) {
                wZp.setLong(i, wZeroPoint);
            }
            m.constant(wZp).constant(Tensor.scalar(yScale)).constant(zeroPoint(r, xType));
            if (bias) {
                m.constant(TestTensors.integers(seed + 2, DType.INT32, -20000, 20000, outChannels));
            }
            return attrs(m);
        }

        SingleNodeModel attrs(SingleNodeModel m) {
            if (group != 1) {
                m.attr("group", group);
            }
            if (strides != null) {
                m.attr("strides", strides);
            }
            if (dilations != null) {
                m.attr("dilations", dilations);
            }
            if (pads != null) {
                m.attr("pads", pads);
            }
            if (autoPad != null) {
                m.attr("auto_pad", autoPad);
            }
            if ((batch + inChannels) % 2 == 0) {
                long[] ks = new long[kernel.length];
                for (int i = 0; i < ks.length; i++) {
                    ks[i] = kernel[i];
                }
                m.attr("kernel_shape", ks);
            }
            return m;
        }
    }

    static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static Tensor full(long seed, DType t, int... shape) {
        return TestTensors.integers(seed, t, QuantParams.lo(t), QuantParams.hi(t), shape);
    }

    static Tensor zeroPoint(SplittableRandom r, DType t) {
        Tensor z = Tensor.allocate(t);
        z.setLong(0, t == DType.UINT8 ? r.nextInt(64, 192) : r.nextInt(-64, 64));
        return z;
    }

    /** A spread of convolutions ONNX Runtime runs: geometry, groups, depthwise, 1-D to 3-D, types. */
    static List<Conv> convCases() {
        List<Conv> cases = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(42);
        DType[][] types = {{DType.UINT8, DType.INT8}, {DType.UINT8, DType.UINT8}, {DType.INT8, DType.INT8}};
        for (int i = 0; i < 48; i++) {
            Conv c = new Conv();
            DType[] t = types[i % 3];
            c.types(t[0], t[1]);
            c.batch = 1 + r.nextInt(2);
            int g = new int[] {1, 1, 2, 3}[r.nextInt(4)];
            c.channels(g * (1 + r.nextInt(3)), g * (1 + r.nextInt(4)), g);
            int rank = i % 8 == 7 ? 3 : (i % 8 == 6 ? 1 : 2);
            c.spatial = new int[rank];
            c.kernel = new int[rank];
            c.strides = r.nextBoolean() ? new long[rank] : null;
            c.dilations = r.nextInt(3) == 0 ? new long[rank] : null;
            c.pads = r.nextBoolean() ? new long[2 * rank] : null;
            for (int d = 0; d < rank; d++) {
                c.spatial[d] = 4 + r.nextInt(rank == 3 ? 3 : 6);
                c.kernel[d] = 1 + r.nextInt(3);
                if (c.strides != null) {
                    c.strides[d] = 1 + r.nextInt(2);
                }
                if (c.dilations != null) {
                    c.dilations[d] = 1 + r.nextInt(2);
                }
                if (c.pads != null) {
                    c.pads[d] = r.nextInt(3);
                    c.pads[d + rank] = r.nextInt(3);
                }
            }
            if (i % 5 == 4) {
                c.pads = null;
                c.dilations = null;
                c.autoPad = new String[] {"SAME_UPPER", "SAME_LOWER", "VALID"}[r.nextInt(3)];
            }
            c.perChannel = r.nextBoolean();
            c.bias = r.nextInt(3) != 0;
            c.weightsAsInput = i % 7 == 3;
            // int8 weights with zero point 0 take ORT's symmetric kernels; others its generic GEMM
            c.wZeroPoint = c.wType == DType.INT8 && r.nextBoolean() ? 0 : (c.wType == DType.UINT8 ? 128 + r.nextInt(-20, 20) : r.nextInt(-5, 5));
            cases.add(c);
        }
        // depthwise, pointwise and strided classics
        cases.add(new Conv().channels(8, 8, 8).spatial(9, 9).kernel(3, 3));
        Conv u8 = new Conv().channels(8, 16, 8).spatial(7, 5).kernel(3, 3).types(DType.UINT8, DType.UINT8);
        u8.wZeroPoint = 128;
        cases.add(u8);
        cases.add(new Conv().channels(16, 8, 1).spatial(5, 5).kernel(1, 1));
        Conv s2 = new Conv().channels(3, 8, 1).spatial(16, 16).kernel(3, 3).types(DType.INT8, DType.INT8);
        s2.strides = new long[] {2, 2};
        s2.pads = new long[] {1, 1, 1, 1};
        s2.perChannel = true;
        cases.add(s2);
        return cases;
    }

    @Test
    void qlinearConvMatchesOrtExactly() throws Exception {
        long seed = 1000;
        int elements = 0;
        for (Conv c : convCases()) {
            seed += 10;
            Tensor[] r = c.qlinear(seed).runBoth("QLinearConv", 10);
            assertNull(EXACT.mismatch(r[1], r[0]), c + ": " + EXACT.mismatch(r[1], r[0]));
            elements += r[0].size();
        }
        assertTrue(elements > 10000, "the cases cover " + elements + " output elements");
    }

    /** Per-channel weight zero points that differ (ORT refuses them) against a naive reference. */
    @Test
    void qlinearConvWithDistinctChannelZeroPoints() {
        int[] xs = {1, 4, 5, 5};
        int[] ws = {6, 2, 3, 3};
        Tensor x = full(1, DType.INT8, xs);
        Tensor w = full(2, DType.UINT8, ws);
        float xScale = 0.02f;
        float[] wScale = {0.01f, 0.02f, 0.015f, 0.03f, 0.005f, 0.011f};
        float yScale = 0.5f;
        int xZp = -3;
        int[] wZp = {120, 128, 135, 0, 255, 64};
        int yZp = 5;
        Tensor wz = Tensor.allocate(DType.UINT8, 6);
        for (int i = 0; i < 6; i++) {
            wz.setLong(i, wZp[i]);
        }
        Tensor yzT = Tensor.allocate(DType.INT8);
        yzT.setLong(0, yZp);
        Tensor xzT = Tensor.allocate(DType.INT8);
        xzT.setLong(0, xZp);
        Tensor y = new SingleNodeModel().input(x).constant(Tensor.scalar(xScale)).constant(xzT).constant(w)
                .constant(Tensor.of(wScale, 6)).constant(wz).constant(Tensor.scalar(yScale)).constant(yzT)
                .attr("group", 2).attr("pads", new long[] {1, 0, 1, 2}).attr("strides", new long[] {2, 1})
                .runKiln("QLinearConv", 10);
        assertArrayEquals(new int[] {1, 6, 3, 5}, y.shape());
        int[] acc = naiveConv2d(x, xZp, w, wZp, 2, new int[] {2, 1}, new int[] {1, 0, 1, 2});
        for (int i = 0; i < y.size(); i++) {
            int m = (i / 15) % 6;
            int want = QuantMath.requantize(acc[i], QuantMath.requantMultiplier(xScale, wScale[m], yScale), yZp, -128, 127);
            assertEquals(want, y.getLong(i), "element " + i);
        }
    }

    /** Direct 2-D grouped convolution with explicit bounds checks, dilation 1. */
    static int[] naiveConv2d(Tensor x, int xZp, Tensor w, int[] wZp, int group, int[] stride, int[] pads) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
        int m = w.dim(0), cg = w.dim(1), kh = w.dim(2), kw = w.dim(3);
        int oh = (h + pads[0] + pads[2] - kh) / stride[0] + 1;
        int ow = (wd + pads[1] + pads[3] - kw) / stride[1] + 1;
        int[] out = new int[n * m * oh * ow];
        int i = 0;
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < m; oc++) {
                int g = oc / (m / group);
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        int acc = 0;
                        for (int ic = 0; ic < cg; ic++) {
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int iy = y * stride[0] - pads[0] + ky;
                                    int ix = xo * stride[1] - pads[1] + kx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) {
                                        continue;
                                    }
                                    long xv = x.getLong(((b * c + g * cg + ic) * h + iy) * wd + ix) - xZp;
                                    long wv = w.getLong(((oc * cg + ic) * kh + ky) * kw + kx) - wZp[oc];
                                    acc += (int) (xv * wv);
                                }
                            }
                        }
                        out[i++] = acc;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void convIntegerMatchesOrtAndReference() throws Exception {
        long seed = 5000;
        for (Conv c : convCases()) {
            seed += 10;
            Tensor x = full(seed, c.xType, concat(new int[] {c.batch, c.inChannels}, c.spatial));
            Tensor w = full(seed + 1, c.wType, concat(new int[] {c.outChannels, c.inChannels / c.group}, c.kernel));
            SplittableRandom r = new SplittableRandom(seed);
            SingleNodeModel m = c.attrs(new SingleNodeModel().input(x).constant(w)
                    .constant(zeroPoint(r, c.xType)).constant(zeroPoint(r, c.wType)));
            if (c.xType == DType.UINT8 && c.wType == DType.UINT8) {
                // ONNX Runtime's ConvInteger takes uint8 only
                Tensor[] out = m.runBoth("ConvInteger", 10);
                assertNull(EXACT.mismatch(out[1], out[0]), c + ": " + EXACT.mismatch(out[1], out[0]));
            } else {
                m.runKiln("ConvInteger", 10);
            }
        }
        // int8, per-channel weight zero points, no x zero point: the naive reference
        Tensor x = full(7, DType.INT8, 2, 4, 6, 5);
        Tensor w = full(8, DType.INT8, 6, 2, 2, 3);
        int[] wZp = {0, -3, 7, 1, -128, 127};
        Tensor wz = Tensor.allocate(DType.INT8, 6);
        for (int i = 0; i < 6; i++) {
            wz.setLong(i, wZp[i]);
        }
        Tensor y = new SingleNodeModel().input(x).constant(w).constant(null).constant(wz).attr("group", 2)
                .attr("pads", new long[] {0, 1, 2, 1}).runKiln("ConvInteger", 10);
        assertEquals(DType.INT32, y.dtype());
        assertArrayEquals(naiveConv2d(x, 0, w, wZp, 2, new int[] {1, 1}, new int[] {0, 1, 2, 1}), y.ints());
    }

    // ---- matrix products ---------------------------------------------------------------------

    /** {a shape, b shape, per-column b parameter shape or null}. */
    static final int[][][] MATMUL_SHAPES = {
        {{3, 5}, {5, 4}, {4}},
        {{1, 16}, {16, 33}, null},
        {{2, 3, 5}, {5, 4}, {4}},
        {{3, 5}, {2, 5, 4}, {2, 1, 4}},
        {{2, 1, 3, 8}, {3, 8, 2}, null},
        {{2, 4, 7}, {2, 7, 6}, {2, 1, 6}},
        {{17, 65}, {65, 15}, {15}},
        {{5}, {5, 3}, null},
        {{4, 5}, {5}, null},
    };

    @Test
    void qlinearMatMulMatchesOrtExactly() throws Exception {
        DType[][] types = {{DType.UINT8, DType.UINT8}, {DType.UINT8, DType.INT8}, {DType.INT8, DType.INT8}};
        long seed = 9000;
        for (int[][] s : MATMUL_SHAPES) {
            for (DType[] t : types) {
                for (boolean perColumn : new boolean[] {false, true}) {
                    if (perColumn && s[2] == null) {
                        continue;
                    }
                    SplittableRandom r = new SplittableRandom(++seed);
                    Tensor a = full(seed, t[0], s[0]);
                    Tensor b = full(seed + 1, t[1], s[1]);
                    float as = (float) Math.exp(r.nextDouble(-5, -1));
                    int cols = perColumn ? Tensor.allocate(DType.FLOAT, s[2]).size() : 1;
                    float[] bs = new float[cols];
                    for (int i = 0; i < cols; i++) {
                        bs[i] = (float) Math.exp(r.nextDouble(-6, -2));
                    }
                    int k = s[0][s[0].length - 1];
                    float ys = (float) (as * bs[0] * Math.sqrt(k) * 5000 / 60 * r.nextDouble(0.5, 2));
                    Tensor bz = Tensor.allocate(t[1], perColumn ? s[2] : new int[0]);
                    for (int i = 0; i < bz.size(); i++) {
                        bz.setLong(i, t[1] == DType.UINT8 ? r.nextInt(100, 156) : (r.nextBoolean() ? 0 : r.nextInt(-9, 9)));
                    }
                    SingleNodeModel m = new SingleNodeModel().input(a).constant(Tensor.scalar(as))
                            .constant(zeroPoint(r, t[0]));
                    if (seed % 3 == 0) {
                        m.input(b);
                    } else {
                        m.constant(b);
                    }
                    m.constant(perColumn ? Tensor.of(bs, s[2]) : Tensor.scalar(bs[0])).constant(bz)
                            .constant(Tensor.scalar(ys)).constant(zeroPoint(r, t[0]));
                    String what = Arrays.toString(s[0]) + " x " + Arrays.toString(s[1]) + " " + t[0] + "/" + t[1]
                            + (perColumn ? " per-column" : "");
                    Tensor[] out = m.runBoth("QLinearMatMul", 10);
                    assertNull(EXACT.mismatch(out[1], out[0]), what + ": " + EXACT.mismatch(out[1], out[0]));
                }
            }
        }
    }

    /** Opset 21 allows float16 scales; they are widened to float32 exactly before the multiplier. */
    @Test
    void qlinearMatMulOpset21ScalesMatchOrt() throws Exception {
        long seed = 11000;
        for (DType scaleType : List.of(DType.FLOAT, DType.FLOAT16)) {
            for (int[][] s : MATMUL_SHAPES) {
                SplittableRandom r = new SplittableRandom(++seed);
                int k = s[0][s[0].length - 1];
                double as = Math.exp(r.nextDouble(-5, -1));
                double bs = Math.exp(r.nextDouble(-6, -2));
                double ys = as * bs * Math.sqrt(k) * 5000 / 60;
                Tensor[] out = new SingleNodeModel().input(full(seed, DType.INT8, s[0]))
                        .constant(Tensor.fromDoubles(scaleType, new double[] {as})).constant(zeroPoint(r, DType.INT8))
                        .constant(full(seed + 1, DType.INT8, s[1])).constant(Tensor.fromDoubles(scaleType, new double[] {bs}))
                        .constant(zeroPoint(r, DType.INT8)).constant(Tensor.fromDoubles(scaleType, new double[] {ys}))
                        .constant(zeroPoint(r, DType.INT8)).runBoth("QLinearMatMul", 21);
                assertNull(EXACT.mismatch(out[1], out[0]), scaleType + " " + Arrays.toString(s[0]) + " x "
                        + Arrays.toString(s[1]) + ": " + EXACT.mismatch(out[1], out[0]));
            }
        }
    }

    @Test
    void matMulIntegerMatchesOrtExactly() throws Exception {
        DType[][] types = {{DType.UINT8, DType.UINT8}, {DType.UINT8, DType.INT8}, {DType.INT8, DType.INT8}};
        long seed = 12000;
        for (int[][] s : MATMUL_SHAPES) {
            for (DType[] t : types) {
                SplittableRandom r = new SplittableRandom(++seed);
                Tensor bz = null;
                if (s[2] != null) {
                    bz = full(seed + 2, t[1], s[2]);
                } else if (r.nextBoolean()) {
                    bz = zeroPoint(r, t[1]);
                }
                SingleNodeModel m = new SingleNodeModel().input(full(seed, t[0], s[0])).input(full(seed + 1, t[1], s[1]))
                        .constant(r.nextBoolean() ? zeroPoint(r, t[0]) : null).constant(bz);
                Tensor[] out = m.runBoth("MatMulInteger", 10);
                assertNull(EXACT.mismatch(out[1], out[0]), Arrays.toString(s[0]) + " x " + Arrays.toString(s[1]) + " "
                        + t[0] + "/" + t[1] + ": " + EXACT.mismatch(out[1], out[0]));
            }
        }
    }

    /**
     * Accumulators whose product with the multiplier is exactly x.5 in float32 but not in double
     * (11571 * 0.008253392 = 95.5 in float32, 95.4999969 in double): ONNX Runtime rounds the
     * float32 product, so QuantMath must too. Each output channel (column) gets one accumulator
     * through the digits of acc in base 255 / 100 and its own scale.
     */
    @Test
    void requantizationRoundsInFloat32LikeOrt() throws Exception {
        int[] acc = {11571, 6453, 14807, 16040};
        float[] mult = {0.008253392f, 6.973501E-4f, 0.0076652933f, 0.0067643393f};
        long[] want = {96, 4, 114, 108};
        for (int j = 0; j < 4; j++) {
            assertNotEquals(want[j], (long) Math.rint((double) acc[j] * mult[j]), "double rounding differs for " + acc[j]);
        }
        Tensor x = ofValues(DType.UINT8, new int[] {1, 3}, 255, 100, 1);
        for (DType wt : List.of(DType.INT8, DType.UINT8)) {
            Tensor b = Tensor.allocate(wt, 3, 4);
            for (int j = 0; j < 4; j++) {
                b.setLong(j, acc[j] / 255);
                b.setLong(4 + j, acc[j] % 255 / 100);
                b.setLong(8 + j, acc[j] % 255 % 100);
            }
            Tensor[] mm = new SingleNodeModel().input(x).constant(Tensor.scalar(1f)).constant(Tensor.allocate(DType.UINT8))
                    .constant(b).constant(Tensor.of(mult, 4)).constant(Tensor.allocate(wt)).constant(Tensor.scalar(1f))
                    .constant(Tensor.allocate(DType.UINT8)).runBoth("QLinearMatMul", 10);
            assertArrayEquals(want, mm[0].toLongArray(), "Kiln QLinearMatMul " + wt);
            assertArrayEquals(want, mm[1].toLongArray(), "ORT QLinearMatMul " + wt);

            Tensor w = Tensor.allocate(wt, 4, 3, 1, 1);
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 3; k++) {
                    w.setLong(j * 3 + k, b.getLong(k * 4 + j));
                }
            }
            Tensor[] conv = new SingleNodeModel().input(x.reshape(1, 3, 1, 1)).constant(Tensor.scalar(1f))
                    .constant(Tensor.allocate(DType.UINT8)).constant(w).constant(Tensor.of(mult, 4))
                    .constant(Tensor.allocate(wt, 4)).constant(Tensor.scalar(1f)).constant(Tensor.allocate(DType.UINT8))
                    .runBoth("QLinearConv", 10);
            assertArrayEquals(want, conv[0].toLongArray(), "Kiln QLinearConv " + wt);
            assertArrayEquals(want, conv[1].toLongArray(), "ORT QLinearConv " + wt);
        }
    }

    static Tensor ofValues(DType t, int[] shape, long... v) {
        Tensor r = Tensor.allocate(t, shape);
        for (int i = 0; i < v.length; i++) {
            r.setLong(i, v[i]);
        }
        return r;
    }

    /** Per-row a parameters (which ORT does not take) against hand-computed values. */
    @Test
    void perRowParametersOfA() {
        Tensor a = Tensor.allocate(DType.UINT8, 2, 3);
        long[] av = {10, 20, 30, 1, 2, 3};
        for (int i = 0; i < 6; i++) {
            a.setLong(i, av[i]);
        }
        Tensor b = Tensor.allocate(DType.INT8, 3, 2);
        long[] bv = {1, -1, 2, 0, -3, 4};
        for (int i = 0; i < 6; i++) {
            b.setLong(i, bv[i]);
        }
        Tensor az = Tensor.allocate(DType.UINT8, 2);
        az.setLong(0, 10);
        az.setLong(1, 1);
        Tensor bz = Tensor.allocate(DType.INT8, 2);
        bz.setLong(1, 1);
        // rows minus zero points: [0, 10, 20] and [0, 1, 2]; columns minus zero points: [1, 2, -3] and [-2, -1, 3]
        Tensor y = new SingleNodeModel().input(a).input(b).constant(az).constant(bz).runKiln("MatMulInteger", 10);
        assertArrayEquals(new int[] {-40, 50, -4, 5}, y.ints());

        Tensor q = new SingleNodeModel().input(a).constant(Tensor.of(new float[] {0.5f, 2f}, 2, 1)).constant(az.reshape(2, 1))
                .input(b).constant(Tensor.of(new float[] {0.25f, 0.1f}, 2)).constant(bz).constant(Tensor.scalar(1f))
                .constant(Tensor.allocate(DType.UINT8)).runKiln("QLinearMatMul", 10);
        // -40 * 0.125 = -5 → 0 (uint8), 50 * 0.05 = 2.5 → 2, -4 * 0.5 = -2 → 0, 5 * 0.2 = 1
        assertArrayEquals(new long[] {0, 2, 0, 1}, q.toLongArray());
    }

    @Test
    void infersShapes() {
        assertArrayEquals(new int[] {1, 2, 3}, MatMulInteger.inferMatMulShape(new int[] {1, 2, 5}, new int[] {5, 3}));
        assertArrayEquals(new int[] {-1, 4, 2, 3}, MatMulInteger.inferMatMulShape(new int[] {-1, 1, 2, 5}, new int[] {4, 5, 3}));
        assertArrayEquals(new int[] {3}, MatMulInteger.inferMatMulShape(new int[] {5}, new int[] {5, 3}));
        assertArrayEquals(new int[] {2}, MatMulInteger.inferMatMulShape(new int[] {2, 5}, new int[] {5}));
        Tensor y = new Conv().channels(2, 3, 1).qlinear(3).attr("strides", new long[] {2, 3})
                .attr("auto_pad", "SAME_UPPER").runKiln("QLinearConv", 10);
        assertArrayEquals(new int[] {1, 3, 3, 3}, y.shape());
        assertEquals(DType.UINT8, y.dtype());
    }

    @Test
    void errorsNameTheProblem() {
        KilnException e = assertThrows(KilnException.class, () -> new Conv().channels(3, 4, 2).qlinear(1)
                .runKiln("QLinearConv", 10));
        assertTrue(e.getMessage().contains("x has 3 channels but w expects 1 per group x 2 groups"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new Conv().qlinear(1).attr("auto_pad", "SAME")
                .runKiln("QLinearConv", 10));
        assertTrue(e.getMessage().contains("auto_pad must be NOTSET, VALID, SAME_UPPER or SAME_LOWER, found 'SAME'"),
                e.getMessage());
        e = assertThrows(KilnException.class, () -> new Conv().qlinear(1).attr("strides", new long[] {1, 0})
                .runKiln("QLinearConv", 10));
        assertTrue(e.getMessage().contains("strides must be positive"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new Conv().kernel(9, 3).qlinear(1).runKiln("QLinearConv", 10));
        assertTrue(e.getMessage().contains("is larger than the padded input"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new SingleNodeModel().input(full(1, DType.UINT8, 1, 3, 4, 4))
                .constant(Tensor.scalar(1f)).constant(Tensor.allocate(DType.UINT8)).constant(full(2, DType.INT8, 4, 3, 1, 1))
                .constant(Tensor.of(new float[3], 3)).constant(Tensor.allocate(DType.INT8)).constant(Tensor.scalar(1f))
                .constant(Tensor.allocate(DType.UINT8)).runKiln("QLinearConv", 10));
        assertTrue(e.getMessage().contains("w_scale must be a scalar or 1-D of length 4"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new SingleNodeModel().input(full(1, DType.UINT8, 2, 3))
                .input(full(1, DType.UINT8, 4, 2)).runKiln("MatMulInteger", 10));
        assertTrue(e.getMessage().contains("inner dimensions 3 and 4 differ"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new SingleNodeModel().input(full(1, DType.UINT8, 2, 3))
                .input(full(1, DType.UINT8, 3, 4)).constant(null).constant(full(1, DType.UINT8, 3))
                .runKiln("MatMulInteger", 10));
        assertTrue(e.getMessage().contains("zero point of B must be a scalar, 1-D of length 4 or of shape [1, 4]"),
                e.getMessage());
        e = assertThrows(KilnException.class, () -> new SingleNodeModel().input(full(1, DType.UINT8, 2, 3))
                .constant(Tensor.scalar(1f)).runKiln("QLinearMatMul", 10));
        assertTrue(e.getMessage().contains("QLinearMatMul needs a, a_scale"), e.getMessage());
    }
}
