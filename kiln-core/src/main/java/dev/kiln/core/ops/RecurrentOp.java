package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.RecurrentKernel;

import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.TensorType;
import dev.kiln.runtime.tensor.DType;

/**
 * Shape inference shared by LSTM, GRU and RNN: Y is [seq, directions, batch, hidden] and the
 * states [directions, batch, hidden] (batch first with layout = 1 from opset 14), hidden taken
 * from hidden_size or else from R or W. Kernels: {@link RecurrentKernel}.
 */
abstract class RecurrentOp extends Op {
    @Override
    public void infer(OpContext ctx) {
        TensorType x = ctx.inputType(0);
        DType dt = x.dtype();
        int layout = ctx.opset() >= 14 ? (int) ctx.attrs().getInt("layout", 0) : 0;
        Dim dirs = Dim.of(RecurrentKernel.numDirections(ctx.attrs().getString("direction", "forward")));
        Dim seq = Dim.UNKNOWN;
        Dim batch = Dim.UNKNOWN;
        if (x.hasRank() && x.rank() == 3) {
            seq = x.dim(layout == 0 ? 0 : 1);
            batch = x.dim(layout == 0 ? 1 : 0);
        }
        Dim hidden = Dim.UNKNOWN;
        if (ctx.attrs().has("hidden_size")) {
            hidden = Dim.of(ctx.attrs().getInt("hidden_size", 0));
        } else {
            TensorType r = ctx.inputType(2);
            TensorType w = ctx.inputType(1);
            if (r.hasRank() && r.rank() == 3 && r.dim(2).isKnown()) {
                hidden = r.dim(2);
            } else if (w.hasRank() && w.rank() == 3 && w.dim(1).isKnown()) {
                hidden = Dim.of(w.dim(1).value() / ((RecurrentKernel) kernels()).gates());
            }
        }
        Dim[] y = layout == 0 ? new Dim[] {seq, dirs, batch, hidden} : new Dim[] {batch, seq, dirs, hidden};
        Dim[] state = layout == 0 ? new Dim[] {dirs, batch, hidden} : new Dim[] {batch, dirs, hidden};
        ctx.setOutput(0, dt, y);
        for (int i = 1; i < ctx.outputCount(); i++) {
            ctx.setOutput(i, dt, state);
        }
    }
}
