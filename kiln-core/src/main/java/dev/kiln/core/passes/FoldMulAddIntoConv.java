package dev.kiln.core.passes;

import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;

/**
 * Folds a multiplication or addition by a per-channel constant, applied to the output of a Conv,
 * ConvTranspose or Gemm, into that node's weights and bias.
 *
 * <pre>
 * Before:     x -> Conv(W, bias) -> y -> Mul(y, k) -> z        (or Add, Sub, Div; k on either side of Add/Mul)
 * After:      x -> Conv(W', bias') -> z
 * Conditions: y feeds only this node (and is no graph output); W, bias and k are float32 constants;
 *             k is a scalar or varies only along the channel axis (1) and does not raise y's rank;
 *             Div needs a non-zero k.
 * Formula:    Mul: W' = W * k[c], bias' = bias * k[c];   Add: bias' = bias + k[c];
 *             Sub: y - k -> bias - k, k - y -> W' = -W, bias' = k - bias;   Div: as Mul by 1 / k[c]
 * </pre>
 * This also finishes Caffe's BatchNorm + Scale after {@link FoldBatchNormIntoConv}.
 */
public final class FoldMulAddIntoConv extends Pass {
    @Override
    public String name() {
        return "fold_mul_add_into_conv";
    }

    @Override
    public boolean run(Graph g, PassContext ctx) {
        boolean changed = false;
        for (Node op : new ArrayList<>(g.nodes())) {
            if (op.graph() != g || !op.domain().isEmpty() || op.inputCount() != 2 || !isArithmetic(op.opType())) {
                continue;
            }
            for (int side = 0; side < 2; side++) {
                if (tryFold(g, op, side, ctx)) {
                    changed = true;
                    break;
                }
            }
        }
        return changed;
    }

    private static boolean isArithmetic(String t) {
        return t.equals("Mul") || t.equals("Add") || t.equals("Sub") || t.equals("Div");
    }

    /** Folds op into the producer of its input {@code side} when the other input is a per-channel constant. */
    private static boolean tryFold(Graph g, Node op, int side, PassContext ctx) {
        Value y = op.input(side);
        Node p = y == null ? null : y.producer();
        Tensor k = Rewrites.constantInput(op, 1 - side);
        if (p == null || p.graph() != g || k == null || Rewrites.soleConsumer(y) != op || !Rewrites.isFloat(y)
                || (op.opType().equals("Div") && side != 0) || !y.type().hasRank()) {
            return false;
        }
        int channels = ChannelAffine.channels(p, ctx);
        double[] kc = channels > 0 ? ChannelAffine.perChannel(k, y.type().rank(), channels) : null;
        if (kc == null || !Rewrites.canReplace(op.output(0), y)) {
            return false;
        }
        double[] a = null;
        double[] b = null;
        switch (op.opType()) {
            case "Mul":
                a = kc;
                break;
            case "Add":
                b = kc;
                break;
            case "Sub":
                if (side == 0) {
                    b = negate(kc);
                } else {
                    a = new double[channels];
                    java.util.Arrays.fill(a, -1);
                    b = kc;
                }
                break;
            default:
                a = new double[channels];
                for (int c = 0; c < channels; c++) {
                    if (kc[c] == 0) {
                        return false;
                    }
                    a[c] = 1 / kc[c];
                }
        }
        ChannelAffine.apply(g, p, a, b);
        String opName = op.name();
        String opType = op.opType();
        Rewrites.replaceOutput(g, op, op.output(0), y, true);
        ctx.rewrote("folded '" + opName + "' (" + opType + " by a constant) into '" + p.name() + "' (" + p.opType() + ")");
        return true;
    }

    private static double[] negate(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = -v[i];
        }
        return r;
    }
}
