package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.KernelContext;

import java.util.List;

/**
 * RNN (opsets 7 and 14; layout from 14): Ht = f(Xt·Wᵀ + Ht-1·Rᵀ + Wb + Rb), f Tanh by default, its
 * input clipped when clip is set. As in ONNX Runtime, activation_alpha/activation_beta hold one
 * value per direction and default to 0.
 */
public final class RNNKernel extends RecurrentKernel {
    public static final RNNKernel INSTANCE = new RNNKernel();

    private RNNKernel() {
        super("RNN", 110);
    }

    @Override
    public int gates() {
        return 1;
    }

    @Override
    List<String> defaultActivations() {
        return List.of("Tanh");
    }

    @Override
    boolean alphaPerDirection() {
        return true;
    }

    @Override
    Cell cell(KernelContext ctx) {
        return RNNKernel::step;
    }

    private static void step(Sweep sw, int s) {
        int hs = sw.hidden;
        sw.recurrentProduct(sw.h, 0, hs);
        float[] acc = sw.acc;
        RecurrentMath.Activation f = sw.act[0];
        for (int b = 0; b < sw.batch; b++) {
            int t = sw.time(b, s);
            if (t < 0) {
                continue;
            }
            int a = b * hs;
            int x = sw.xwOffset(t, b);
            for (int j = 0; j < hs; j++) {
                acc[a + j] += sw.xw[x + j];
            }
            RecurrentMath.clip(acc, a, hs, sw.clip);
            f.apply(acc, a, hs);
            System.arraycopy(acc, a, sw.h, a, hs);
            System.arraycopy(acc, a, sw.y, sw.yOffset(t, b), hs);
        }
    }
}
