package dev.kiln.core.passes;

import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Folds a multiplication or addition by a per-input-channel constant into the Conv that reads its
 * result, where that is exact.
 *
 * <pre>
 * Before:     x -> Mul(x, k) -> m -> Conv(W, bias) -> y        (or Add, Sub(x, k), Div(x, k))
 * After:      x -> Conv(W', bias') -> y
 * Conditions: m feeds only the Conv's data input (and is no graph output); W, bias and k are
 *             float32 constants; k is a scalar or varies only along x's channel axis (1), and x
 *             has the Conv's input channels (k broadcasts nothing). Mul and Div are always exact
 *             (zero padding stays zero); Add and Sub only when the Conv pads nothing, since a
 *             padded border would see 0 instead of k.
 * Formula:    Mul: W'[o, i, ...] = W[o, i, ...] * k[g * Cin/group + i]   (g = o's group);
 *             Add: bias'[o] = bias[o] + sum over i and taps of W[o, i, ...] * k[g * Cin/group + i]
 * </pre>
 */
public final class FoldInputMulAddIntoConv extends Pass {
    @Override
    public String name() {
        return "fold_input_mul_add_into_conv";
    }

    @Override
    public boolean run(Graph g, PassContext ctx) {
        boolean changed = false;
        // backwards, so that a chain Mul -> Add -> Conv folds in one run, the Add first
        List<Node> nodes = new ArrayList<>(g.nodes());
        Collections.reverse(nodes);
        for (Node op : nodes) {
            if (op.graph() != g || !op.domain().isEmpty() || op.inputCount() != 2) {
                continue;
            }
            Node conv = Rewrites.soleConsumer(op.output(0));
            if (conv == null || !conv.opType().equals("Conv") || conv.input(0) != op.output(0) || conv.input(1) == op.output(0)) {
                continue;
            }
            for (int side = 0; side < 2; side++) {
                if (tryFold(g, op, side, conv, ctx)) {
                    changed = true;
                    break;
                }
            }
        }
        return changed;
    }

    private static boolean tryFold(Graph g, Node op, int side, Node conv, PassContext ctx) {
        String t = op.opType();
        boolean commutes = t.equals("Mul") || t.equals("Add");
        boolean additive = t.equals("Add") || t.equals("Sub");
        if (!commutes && (side != 0 || !(t.equals("Sub") || t.equals("Div")))) {
            return false;
        }
        Value x = op.input(side);
        Tensor k = Rewrites.constantInput(op, 1 - side);
        int cout = ChannelAffine.channels(conv, ctx);
        if (x == null || k == null || cout <= 0 || !Rewrites.isFloat(x) || !x.type().hasRank()
                || (additive && !padsNothing(conv))) {
            return false;
        }
        Tensor w = Rewrites.constantInput(conv, 1);
        int group = (int) conv.attrs().getInt("group", 1);
        int cin = w.dim(1) * group;
        int rank = x.type().rank();
        if (rank != w.rank() || !x.type().dim(1).isKnown() || x.type().dim(1).value() != cin) {
            return false;
        }
        double[] kc = ChannelAffine.perChannel(k, rank, cin);
        if (kc == null) {
            return false;
        }
        if (t.equals("Div") || t.equals("Sub")) {
            for (int i = 0; i < cin; i++) {
                if (t.equals("Div") && kc[i] == 0) {
                    return false;
                }
                kc[i] = t.equals("Div") ? 1 / kc[i] : -kc[i];
            }
        }
        if (additive) {
            foldAdd(g, conv, w, kc, cout, group);
        } else {
            foldMul(g, conv, w, kc, cout, group);
        }
        conv.setInput(0, x);
        g.removeNode(op);
        ctx.rewrote("folded '" + op.name() + "' (" + t + " by a constant) into the following '" + conv.name() + "' (Conv)");
        return true;
    }

    /** True when the Conv adds no border: no pads, or auto_pad VALID. */
    private static boolean padsNothing(Node conv) {
        String autoPad = conv.attrs().getString("auto_pad", "NOTSET");
        if (autoPad.equals("VALID")) {
            return true;
        }
        if (!autoPad.equals("NOTSET")) {
            return false;
        }
        for (long p : conv.attrs().getInts("pads", new long[0])) {
            if (p != 0) {
                return false;
            }
        }
        return true;
    }

    private static void foldMul(Graph g, Node conv, Tensor w, double[] k, int cout, int group) {
        float[] src = w.floats();
        float[] dst = new float[src.length];
        int cinPerGroup = w.dim(1), coutPerGroup = cout / group;
        int taps = w.size() / (cout * cinPerGroup);
        for (int i = 0; i < dst.length; i++) {
            int o = i / (cinPerGroup * taps);
            int ci = (i / taps) % cinPerGroup;
            dst[i] = (float) (src[i] * k[(o / coutPerGroup) * cinPerGroup + ci]);
        }
        Rewrites.setConstantInput(g, conv, 1, Tensor.of(dst, w.shape()), conv.name() + "_weight");
    }

    private static void foldAdd(Graph g, Node conv, Tensor w, double[] k, int cout, int group) {
        float[] src = w.floats();
        int cinPerGroup = w.dim(1), coutPerGroup = cout / group;
        int taps = w.size() / (cout * cinPerGroup);
        Tensor bias = conv.hasInput(2) ? Rewrites.constantInput(conv, 2) : null;
        double[] nb = new double[cout];
        for (int o = 0; o < cout; o++) {
            double s = bias == null ? 0 : bias.getDouble(o);
            for (int ci = 0; ci < cinPerGroup; ci++) {
                double kv = k[(o / coutPerGroup) * cinPerGroup + ci];
                int base = (o * cinPerGroup + ci) * taps;
                for (int t = 0; t < taps; t++) {
                    s += src[base + t] * kv;
                }
            }
            nb[o] = s;
        }
        Rewrites.setConstantInput(g, conv, 2, Rewrites.floats(nb, cout), conv.name() + "_bias");
    }
}
