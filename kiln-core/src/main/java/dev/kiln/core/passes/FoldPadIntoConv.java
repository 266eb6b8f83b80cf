package dev.kiln.core.passes;

import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;

/**
 * Folds a zero-valued constant Pad of the spatial dims into the padding of the Conv that reads it.
 *
 * <pre>
 * Before:     x -> Pad(mode constant, value 0, pads P) -> p -> Conv(pads Q) -> y
 * After:      x -> Conv(pads Q + P on the spatial dims) -> y
 * Conditions: p feeds only the Conv's data input (and is no graph output); the pads are known,
 *             non-negative and zero on the batch and channel dims; the fill value is 0; the Conv
 *             has no auto_pad.
 * Formula:    Q'[d] = Q[d] + P[d + 2] and Q'[d + r] = Q[d + r] + P[d + 2 + rank] for spatial dim d < r
 * </pre>
 */
public final class FoldPadIntoConv extends Pass {
    @Override
    public String name() {
        return "fold_pad_into_conv";
    }

    @Override
    public boolean run(Graph g, PassContext ctx) {
        boolean changed = false;
        for (Node pad : new ArrayList<>(g.nodes())) {
            if (pad.graph() != g || !pad.opType().equals("Pad") || !pad.domain().isEmpty()) {
                continue;
            }
            Node conv = Rewrites.soleConsumer(pad.output(0));
            if (conv == null || !conv.opType().equals("Conv") || !conv.domain().isEmpty()
                    || conv.input(0) != pad.output(0) || !pad.input(0).type().hasRank()) {
                continue;
            }
            int rank = pad.input(0).type().rank();
            long[] p = zeroPads(pad, rank, ctx);
            if (p == null || rank < 3 || !conv.attrs().getString("auto_pad", "NOTSET").equals("NOTSET")) {
                continue;
            }
            int r = rank - 2;
            long[] q = conv.attrs().getInts("pads", new long[2 * r]);
            if (q.length != 2 * r) {
                continue;
            }
            for (int d = 0; d < r; d++) {
                q[d] += p[d + 2];
                q[d + r] += p[d + 2 + rank];
            }
            conv.attrs().put(Attribute.of("pads", q));
            conv.setInput(0, pad.input(0));
            g.removeNode(pad);
            ctx.rewrote("folded '" + pad.name() + "' (Pad) into the padding of '" + conv.name() + "' (Conv)");
            changed = true;
        }
        return changed;
    }

    /** The Pad's full pads when it pads only spatial dims, non-negatively, with zeros in constant mode; else null. */
    static long[] zeroPads(Node pad, int rank, PassContext ctx) {
        if (!pad.attrs().getString("mode", "constant").equals("constant")) {
            return null;
        }
        long[] pads;
        int opset = ctx.opset(pad);
        if (opset < 11) {
            pads = pad.attrs().getInts("pads", pad.attrs().getInts("paddings", null));
            if (pad.attrs().getFloat("value", 0f) != 0f) {
                return null;
            }
        } else {
            Tensor pt = Rewrites.constantInput(pad, 1);
            Tensor value = pad.hasInput(2) ? Rewrites.constantInput(pad, 2) : null;
            if (pt == null || (pad.hasInput(2) && (value == null || value.size() != 1 || value.getDouble(0) != 0))
                    || (opset >= 18 && pad.hasInput(3))) {
                return null;
            }
            pads = pt.toLongArray();
        }
        if (pads == null || pads.length != 2 * rank) {
            return null;
        }
        for (int i = 0; i < pads.length; i++) {
            if (pads[i] < 0 || ((i % rank) < 2 && pads[i] != 0)) {
                return null;
            }
        }
        return pads;
    }
}
