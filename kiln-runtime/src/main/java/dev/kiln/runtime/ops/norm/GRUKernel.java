package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.KernelContext;

import java.util.List;

/**
 * GRU (opsets 7 and 14; linear_before_reset from 3, layout from 14). Gates in W, R and B are
 * ordered z, r, h. Per step, with f, g the direction's activations and clip applied to every
 * gate's input:
 * <pre>
 *   z = f(Xt·Wzᵀ + Ht-1·Rzᵀ + Wbz + Rbz)
 *   r = f(Xt·Wrᵀ + Ht-1·Rrᵀ + Wbr + Rbr)
 *   h = g(Xt·Whᵀ + (r⊙Ht-1)·Rhᵀ + Rbh + Wbh)        linear_before_reset = 0
 *   h = g(Xt·Whᵀ + r⊙(Ht-1·Rhᵀ + Rbh) + Wbh)        linear_before_reset = 1
 *   Ht = (1 - z)⊙h + z⊙Ht-1
 * </pre>
 */
public final class GRUKernel extends RecurrentKernel {
    public static final GRUKernel INSTANCE = new GRUKernel();

    private GRUKernel() {
        super("GRU", 109);
    }

    @Override
    public int gates() {
        return 3;
    }

    @Override
    List<String> defaultActivations() {
        return List.of("Sigmoid", "Tanh");
    }

    @Override
    Cell cell(KernelContext ctx) {
        long lbr = ctx.attrs().getInt("linear_before_reset", 0);
        boolean linearBeforeReset = lbr != 0;
        return new Cell() {
            @Override
            public void foldBias(float[] b, int off, int gh, float[] out) {
                int hs = gh / 3;
                for (int j = 0; j < gh; j++) {
                    boolean recurrentH = j >= 2 * hs && linearBeforeReset;
                    out[j] = b[off + j] + (recurrentH ? 0f : b[off + gh + j]);
                }
            }

            @Override
            public void step(Sweep sw, int s) {
                GRUKernel.step(sw, s, linearBeforeReset);
            }
        };
    }

    private static void step(Sweep sw, int s, boolean linearBeforeReset) {
        int hs = sw.hidden;
        int gh = sw.gh;
        float[] acc = sw.acc;
        float[] h = sw.h;
        RecurrentMath.Activation f = sw.act[0];
        RecurrentMath.Activation g = sw.act[1];
        // z and r (and with linear_before_reset also Ht-1·Rhᵀ) from one product
        sw.recurrentProduct(h, 0, linearBeforeReset ? gh : 2 * hs);
        float[] resetH = linearBeforeReset ? null : new float[sw.batch * hs];
        for (int b = 0; b < sw.batch; b++) {
            int t = sw.time(b, s);
            if (t < 0) {
                continue;
            }
            int a = b * gh;
            int x = sw.xwOffset(t, b);
            for (int j = 0; j < 2 * hs; j++) {
                acc[a + j] += sw.xw[x + j];
            }
            RecurrentMath.clip(acc, a, 2 * hs, sw.clip);
            f.apply(acc, a, 2 * hs);
            if (!linearBeforeReset) {
                for (int j = 0; j < hs; j++) {
                    resetH[b * hs + j] = acc[a + hs + j] * h[b * hs + j];
                }
            }
        }
        if (!linearBeforeReset) {
            // (r⊙Ht-1)·Rhᵀ into the h block
            RecurrentMath.gemm(sw.par, sw.batch, hs, hs, resetH, 0, hs, sw.rT, 2 * hs, gh, acc, 2 * hs, gh, false);
        }
        for (int b = 0; b < sw.batch; b++) {
            int t = sw.time(b, s);
            if (t < 0) {
                continue;
            }
            int a = b * gh;
            int x = sw.xwOffset(t, b) + 2 * hs;
            int hh = a + 2 * hs;
            if (linearBeforeReset) {
                int rb = gh + 2 * hs;
                for (int j = 0; j < hs; j++) {
                    float rec = acc[hh + j] + (sw.bias == null ? 0f : sw.bias[rb + j]);
                    acc[hh + j] = sw.xw[x + j] + acc[a + hs + j] * rec;
                }
            } else {
                for (int j = 0; j < hs; j++) {
                    acc[hh + j] += sw.xw[x + j];
                }
            }
            RecurrentMath.clip(acc, hh, hs, sw.clip);
            g.apply(acc, hh, hs);
            int y = sw.yOffset(t, b);
            for (int j = 0; j < hs; j++) {
                float z = acc[a + j];
                float ht = (1f - z) * acc[hh + j] + z * h[b * hs + j];
                h[b * hs + j] = ht;
                sw.y[y + j] = ht;
            }
        }
    }
}
