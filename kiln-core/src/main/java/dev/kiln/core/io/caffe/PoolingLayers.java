package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.Value;

import java.util.Arrays;

import static dev.kiln.core.io.caffe.CaffeContext.attrs;

/**
 * Pooling and LRN, with Caffe's output sizes and averaging divisors expressed in plain ONNX pools
 * (ceil_mode 0, explicit end padding).
 */
final class PoolingLayers {
    private PoolingLayers() {
    }

    /**
     * Pooling → MaxPool / AveragePool (GlobalMaxPool / GlobalAveragePool with global_pooling).
     *
     * <p>Caffe's output size is {@code ceil((H + 2p − k) / s) + 1} (floor with round_mode FLOOR or
     * ceil_mode false), less one when the layer has any padding and the last window would start at
     * or past {@code H + p}. ONNX gets ceil_mode 0 with end padding {@code e = (out − 1)·s + k − H − p}
     * (at least 0), which yields the same size.
     *
     * <p>Caffe divides an average by the window clipped to {@code [−p, H + p)}: zeros of the regular
     * padding count, the overhang past it does not. Without padding that is count_include_pad 0;
     * with padding and no overhang, count_include_pad 1; with both, an explicit zero Pad of p
     * followed by count_include_pad 0 with the overhang as end padding.
     */
    static void pooling(CaffeContext ctx) {
        CaffeNet.PoolingParameter p = ctx.layer().getPoolingParam();
        if (p.getPool() == CaffeNet.PoolingParameter.PoolMethod.STOCHASTIC) {
            throw ctx.error("STOCHASTIC pooling is not supported: at test time it is an average weighted by "
                    + "the activations, which no standard ONNX operator computes");
        }
        if (ctx.tops() > 1) {
            throw ctx.error("the second top (the positions of the maxima) is not supported");
        }
        Value x = ctx.bottom(0);
        int[] in = ctx.shape(x);
        if (in.length != 4) {
            throw ctx.error("expects a 4-D input (N, C, H, W), found " + Arrays.toString(in));
        }
        boolean max = p.getPool() == CaffeNet.PoolingParameter.PoolMethod.MAX;
        if (p.getGlobalPooling()) {
            if (p.getKernelSizeCount() > 0 || p.hasKernelH() || p.hasKernelW()) {
                throw ctx.error("global_pooling takes its kernel from the input; a kernel size may not be given");
            }
            ctx.top(0, ctx.node(null, max ? "GlobalMaxPool" : "GlobalAveragePool", null, x));
            return;
        }
        ConvGeometry g = ConvGeometry.of(ctx, p, 2);
        boolean ceil = p.getRoundMode() == CaffeNet.PoolingParameter.RoundMode.CEIL && p.getCeilMode();
        boolean padded = g.pad()[0] != 0 || g.pad()[1] != 0;
        int[] outShape = in.clone();
        long[] end = new long[2];
        boolean overhang = false;
        for (int i = 0; i < 2; i++) {
            long h = in[2 + i];
            long k = g.kernel()[i];
            long s = g.stride()[i];
            long pad = g.pad()[i];
            if (pad >= k) {
                throw ctx.error("pad " + pad + " must be smaller than the kernel " + k + " (spatial axis " + i + ")");
            }
            long span = h + 2 * pad - k;
            if (span < 0) {
                throw ctx.error("spatial axis " + i + " of size " + h + " is smaller than the kernel " + k + " with pad " + pad);
            }
            long out = (ceil ? Math.floorDiv(span + s - 1, s) : span / s) + 1;
            if (padded && (out - 1) * s >= h + pad) {
                out--;
            }
            if ((out - 1) * s - pad >= h) {
                throw ctx.error("the last window of spatial axis " + i + " starts past the input (size " + h + ", kernel "
                        + k + ", stride " + s + "); Caffe pools it over nothing, which ONNX cannot express");
            }
            end[i] = Math.max((out - 1) * s + k - h - pad, 0);
            overhang |= end[i] > pad;
            outShape[2 + i] = Math.toIntExact(out);
        }
        long[] pads = {g.pad()[0], g.pad()[1], end[0], end[1]};
        var a = attrs().ints("kernel_shape", g.kernel()).ints("strides", g.stride());
        Value y;
        if (max) {
            y = ctx.node(null, "MaxPool", a.ints("pads", pads), x);
        } else if (!padded || !overhang) {
            y = ctx.node(null, "AveragePool", a.ints("pads", pads).i("count_include_pad", padded ? 1 : 0), x);
        } else {
            Value zeros = ctx.node("pad", "Pad", null, x, ctx.ints("pads", 0, 0, pads[0], pads[1], 0, 0, pads[0], pads[1]));
            long[] rest = {0, 0, Math.max(end[0] - pads[0], 0), Math.max(end[1] - pads[1], 0)};
            y = ctx.node("pool", "AveragePool", a.ints("pads", rest).i("count_include_pad", 0), zeros);
        }
        if (!Arrays.equals(ctx.shape(y), outShape)) {
            throw ctx.error("pooled to " + Arrays.toString(ctx.shape(y)) + " instead of Caffe's " + Arrays.toString(outShape));
        }
        ctx.top(0, y);
    }

    /**
     * LRN. ACROSS_CHANNELS is ONNX LRN with bias = k (both scale alpha by 1/size). WITHIN_CHANNEL is
     * {@code x / (1 + alpha · mean_{size×size}(x²))^beta}, the mean over a window padded by
     * (size − 1) / 2 that always counts size² taps (Caffe builds it from an AVE pooling of the
     * squares and ignores k).
     */
    static void lrn(CaffeContext ctx) {
        CaffeNet.LRNParameter p = ctx.layer().getLrnParam();
        long size = Integer.toUnsignedLong(p.getLocalSize());
        if (size % 2 == 0) {
            throw ctx.error("local_size " + size + " must be odd, as in Caffe");
        }
        Value x = ctx.bottom(0);
        if (p.getNormRegion() == CaffeNet.LRNParameter.NormRegion.ACROSS_CHANNELS) {
            ctx.top(0, ctx.node(null, "LRN", attrs().i("size", size).f("alpha", p.getAlpha()).f("beta", p.getBeta())
                    .f("bias", p.getK()), x));
            return;
        }
        if (ctx.shape(x).length != 4) {
            throw ctx.error("WITHIN_CHANNEL expects a 4-D input (N, C, H, W), found " + Arrays.toString(ctx.shape(x)));
        }
        long pad = (size - 1) / 2;
        Value sq = ctx.node("square", "Mul", null, x, x);
        Value mean = ctx.node("mean", "AveragePool", attrs().ints("kernel_shape", size, size).ints("pads", pad, pad, pad, pad)
                .i("count_include_pad", 1), sq);
        Value scaled = ctx.node("scale", "Mul", null, mean, ctx.scalar("alpha", p.getAlpha()));
        Value base = ctx.node("shift", "Add", null, scaled, ctx.scalar("one", 1f));
        Value denom = ctx.node("pow", "Pow", null, base, ctx.scalar("beta", p.getBeta()));
        ctx.top(0, ctx.node("div", "Div", null, x, denom));
    }
}
