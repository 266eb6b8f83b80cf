package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.KernelContext;

import java.util.List;

/**
 * LSTM (opsets 7 and 14; layout from 14). Gates in W, R and B are ordered i, o, f, c; peepholes P
 * are i, o, f. Per step, with f, g, h the direction's activations and clip applied to every gate's
 * input:
 * <pre>
 *   i = f(Xt·Wiᵀ + Ht-1·Riᵀ + Pi⊙Ct-1 + Wbi + Rbi)
 *   f = f(Xt·Wfᵀ + Ht-1·Rfᵀ + Pf⊙Ct-1 + Wbf + Rbf)     (1 - i when input_forget)
 *   c = g(Xt·Wcᵀ + Ht-1·Rcᵀ + Wbc + Rbc)
 *   Ct = f⊙Ct-1 + i⊙c
 *   o = f(Xt·Woᵀ + Ht-1·Roᵀ + Po⊙Ct + Wbo + Rbo)
 *   Ht = o⊙h(Ct)
 * </pre>
 */
public final class LSTMKernel extends RecurrentKernel {
    public static final LSTMKernel INSTANCE = new LSTMKernel();

    private LSTMKernel() {
        super("LSTM", 108);
    }

    @Override
    public int gates() {
        return 4;
    }

    @Override
    List<String> defaultActivations() {
        return List.of("Sigmoid", "Tanh", "Tanh");
    }

    @Override
    Cell cell(KernelContext ctx) {
        long inputForget = ctx.attrs().getInt("input_forget", 0);
        if (inputForget != 0 && inputForget != 1) {
            throw ctx.error("input_forget must be 0 or 1, not " + inputForget);
        }
        boolean coupled = inputForget == 1;
        return (sw, s) -> step(sw, s, coupled);
    }

    private static void step(Sweep sw, int s, boolean coupled) {
        int hs = sw.hidden;
        sw.recurrentProduct(sw.h, 0, sw.gh);
        float[] acc = sw.acc;
        float[] xw = sw.xw;
        float[] c = sw.c;
        float[] p = sw.peepholes;
        RecurrentMath.Activation f = sw.act[0];
        RecurrentMath.Activation g = sw.act[1];
        RecurrentMath.Activation h = sw.act[2];
        for (int b = 0; b < sw.batch; b++) {
            int t = sw.time(b, s);
            if (t < 0) {
                continue;
            }
            int a = b * sw.gh;
            int x = sw.xwOffset(t, b);
            for (int j = 0; j < sw.gh; j++) {
                acc[a + j] += xw[x + j];
            }
            int gi = a;
            int go = a + hs;
            int gf = a + 2 * hs;
            int gc = a + 3 * hs;
            int cs = b * hs;
            if (p != null) {
                for (int j = 0; j < hs; j++) {
                    acc[gi + j] += p[j] * c[cs + j];
                }
            }
            RecurrentMath.clip(acc, gi, hs, sw.clip);
            f.apply(acc, gi, hs);
            if (coupled) {
                for (int j = 0; j < hs; j++) {
                    acc[gf + j] = 1f - acc[gi + j];
                }
            } else {
                if (p != null) {
                    for (int j = 0; j < hs; j++) {
                        acc[gf + j] += p[2 * hs + j] * c[cs + j];
                    }
                }
                RecurrentMath.clip(acc, gf, hs, sw.clip);
                f.apply(acc, gf, hs);
            }
            RecurrentMath.clip(acc, gc, hs, sw.clip);
            g.apply(acc, gc, hs);
            for (int j = 0; j < hs; j++) {
                c[cs + j] = acc[gf + j] * c[cs + j] + acc[gi + j] * acc[gc + j];
            }
            if (p != null) {
                for (int j = 0; j < hs; j++) {
                    acc[go + j] += p[hs + j] * c[cs + j];
                }
            }
            RecurrentMath.clip(acc, go, hs, sw.clip);
            f.apply(acc, go, hs);
            int y = sw.yOffset(t, b);
            for (int j = 0; j < hs; j++) {
                float ht = acc[go + j] * h.apply(c[cs + j]);
                sw.h[cs + j] = ht;
                sw.y[y + j] = ht;
            }
        }
    }
}
