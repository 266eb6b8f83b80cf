package dev.kiln.core.passes;

import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;

/**
 * Folds an inference-mode BatchNormalization into the Conv, ConvTranspose or Gemm before it.
 *
 * <pre>
 * Before:     x -> Conv(W, bias) -> y -> BatchNormalization(scale, B, mean, var, epsilon) -> z
 * After:      x -> Conv(W', bias') -> z
 * Conditions: y feeds only the BatchNormalization (and is no graph output); W, bias and the four
 *             BN parameters are float32 constants with one value per output channel; BN in
 *             inference mode (no training_mode, no running-statistics outputs, spatial = 1).
 * Formula:    a[c] = scale[c] / sqrt(var[c] + epsilon);  W'[c] = W[c] * a[c];
 *             bias'[c] = (bias[c] - mean[c]) * a[c] + B[c]   (see ChannelAffine for ConvTranspose, Gemm)
 * </pre>
 * Caffe's BatchNorm + Scale arrives as a BatchNormalization with unit scale followed by Mul/Add by
 * per-channel constants; {@link FoldMulAddIntoConv} folds those afterwards.
 */
public final class FoldBatchNormIntoConv extends Pass {
    @Override
    public String name() {
        return "fold_bn_into_conv";
    }

    @Override
    public boolean run(Graph g, PassContext ctx) {
        boolean changed = false;
        for (Node bn : new ArrayList<>(g.nodes())) {
            if (!bn.opType().equals("BatchNormalization") || !bn.domain().isEmpty() || bn.graph() != g) {
                continue;
            }
            Value y = bn.input(0);
            Node p = y == null ? null : y.producer();
            if (p == null || p.graph() != g || Rewrites.soleConsumer(y) != bn || !inferenceMode(bn, ctx)) {
                continue;
            }
            int channels = ChannelAffine.channels(p, ctx);
            double[][] ab = channels > 0 ? coefficients(bn, channels) : null;
            if (ab == null || !Rewrites.canReplace(bn.output(0), y)) {
                continue;
            }
            ChannelAffine.apply(g, p, ab[0], ab[1]);
            String bnName = bn.name();
            Rewrites.replaceOutput(g, bn, bn.output(0), y, true);
            ctx.rewrote("folded '" + bnName + "' (BatchNormalization) into '" + p.name() + "' (" + p.opType() + ")");
            changed = true;
        }
        return changed;
    }

    private static boolean inferenceMode(Node bn, PassContext ctx) {
        for (int i = 1; i < bn.outputs().size(); i++) {
            Value o = bn.output(i);
            if (o != null && (!o.uses().isEmpty() || Rewrites.isReferencedOutsideUses(o))) {
                return false;
            }
        }
        int opset = ctx.opset(bn);
        if (opset >= 14 && bn.attrs().getInt("training_mode", 0) != 0) {
            return false;
        }
        return opset >= 9 || bn.attrs().getInt("spatial", 1) != 0;
    }

    /** {a, b} with z = y * a + b per channel, or null when the parameters are not usable. */
    private static double[][] coefficients(Node bn, int channels) {
        Tensor[] p = new Tensor[5];
        for (int i = 1; i < 5; i++) {
            p[i] = Rewrites.constantInput(bn, i);
            if (p[i] == null || !p[i].dtype().isFloatingPoint() || p[i].size() != channels) {
                return null;
            }
        }
        double eps = bn.attrs().getFloat("epsilon", 1e-5f);
        double[] a = new double[channels];
        double[] b = new double[channels];
        for (int c = 0; c < channels; c++) {
            a[c] = p[1].getDouble(c) / Math.sqrt(p[4].getDouble(c) + eps);
            b[c] = p[2].getDouble(c) - p[3].getDouble(c) * a[c];
        }
        return new double[][] {a, b};
    }
}
