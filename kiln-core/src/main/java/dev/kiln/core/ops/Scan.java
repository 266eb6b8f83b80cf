package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.ExecContext;

import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Scan. From opset 9: inputs are N state values then M scan inputs (M = num_scan_inputs); the body
 * takes the states and one slice of every scan input (along scan_input_axes, from the end when
 * scan_input_directions is 1) and returns the new states and K scan output slices, which are
 * stacked along scan_output_axes (in reverse order when scan_output_directions is 1). Opset 8 has
 * a leading batch axis on every input and output, an optional sequence_lens input (one length per
 * batch entry; scan outputs past it are zero) and per-input directions.
 */
public final class Scan extends Op {
    @Override
    public int opcode() {
        return 150;
    }

    /** Parsed attributes; axes still unnormalized (negative allowed). */
    private static final class Config {
        Graph body;
        int states;
        int scanInputs;
        int scanOutputs;
        long[] inputAxes;
        long[] inputDirections;
        long[] outputAxes;
        long[] outputDirections;
        /** Opset 8: inputs start with sequence_lens, everything has a batch axis. */
        boolean batched;
    }

    private static Config config(OpContext ctx) {
        Config c = new Config();
        c.body = ControlFlow.graph(ctx, "body");
        c.batched = ctx.opset() < 9;
        if (!ctx.attrs().has("num_scan_inputs")) {
            throw ctx.error("attribute 'num_scan_inputs' is missing");
        }
        c.scanInputs = (int) ctx.attrs().getInt("num_scan_inputs", 0);
        int first = c.batched ? 1 : 0;
        c.states = ctx.inputCount() - first - c.scanInputs;
        if (c.scanInputs < 1 || c.states < 0) {
            throw ctx.error("num_scan_inputs is " + c.scanInputs + " but the node has " + (ctx.inputCount() - first)
                    + " state and scan inputs; it must be between 1 and that number");
        }
        if (c.body.inputs().size() != c.states + c.scanInputs) {
            throw ctx.error("the body takes " + c.body.inputs().size() + " inputs but should take "
                    + (c.states + c.scanInputs) + " (" + c.states + " states and " + c.scanInputs + " scan slices)");
        }
        c.scanOutputs = c.body.outputs().size() - c.states;
        if (c.scanOutputs < 0) {
            throw ctx.error("the body returns " + c.body.outputs().size() + " outputs, fewer than the " + c.states
                    + " states");
        }
        if (ctx.outputCount() > c.states + c.scanOutputs) {
            throw ctx.error("the node has " + ctx.outputCount() + " outputs but its body yields " + c.states
                    + " states and " + c.scanOutputs + " scan outputs");
        }
        if (c.batched) {
            c.inputAxes = new long[c.scanInputs];
            c.inputDirections = list(ctx, "directions", c.scanInputs);
            c.outputAxes = new long[c.scanOutputs];
            c.outputDirections = new long[c.scanOutputs];
        } else {
            c.inputAxes = list(ctx, "scan_input_axes", c.scanInputs);
            c.inputDirections = list(ctx, "scan_input_directions", c.scanInputs);
            c.outputAxes = list(ctx, "scan_output_axes", c.scanOutputs);
            c.outputDirections = list(ctx, "scan_output_directions", c.scanOutputs);
        }
        for (long[] dirs : new long[][] {c.inputDirections, c.outputDirections}) {
            for (long d : dirs) {
                if (d != 0 && d != 1) {
                    throw ctx.error("scan directions must be 0 (forward) or 1 (reverse), found " + d);
                }
            }
        }
        return c;
    }

    /** An INTS attribute of the given length, zeros when absent. */
    private static long[] list(OpContext ctx, String name, int count) {
        long[] v = ctx.attrs().getInts(name, new long[count]);
        if (v.length != count) {
            throw ctx.error(name + " should have " + count + " entries, found " + v.length);
        }
        return v;
    }

    private static int axis(long axis, int rank) {
        return axis < 0 ? (int) axis + rank : (int) axis;
    }

    @Override
    public void infer(OpContext ctx) {
        Config c = config(ctx);
        int first = c.batched ? 1 : 0;
        List<TensorType> in = new ArrayList<>();
        Dim seq = Dim.UNKNOWN;
        Dim batch = Dim.UNKNOWN;
        for (int i = 0; i < c.states; i++) {
            TensorType t = ctx.inputType(first + i);
            if (c.batched) {
                batch = t.hasRank() && t.rank() > 0 && !batch.isKnown() ? t.dim(0) : batch;
                t = ControlFlow.removeAxis(t, 0);
            }
            in.add(t);
        }
        for (int j = 0; j < c.scanInputs; j++) {
            TensorType t = ctx.inputType(first + c.states + j);
            if (c.batched) {
                batch = t.hasRank() && t.rank() > 0 && !batch.isKnown() ? t.dim(0) : batch;
                t = ControlFlow.removeAxis(t, 0);
            }
            int a = t.hasRank() ? axis(c.inputAxes[j], t.rank()) : -1;
            if (a >= 0 && a < t.rank() && !seq.isKnown()) {
                seq = t.dim(a);
            }
            in.add(ControlFlow.removeAxis(t, a));
        }
        List<TensorType> out = ControlFlow.infer(ctx, c.body, in);
        for (int i = 0; i < c.states && i < ctx.outputCount(); i++) {
            TensorType t = ControlFlow.union(in.get(i), out.get(i));
            ctx.setOutput(i, c.batched ? ControlFlow.insertAxis(t, 0, batch) : t);
        }
        for (int k = 0; k < c.scanOutputs && c.states + k < ctx.outputCount(); k++) {
            TensorType t = ControlFlow.insertAxis(out.get(c.states + k), (int) c.outputAxes[k], seq);
            ctx.setOutput(c.states + k, c.batched ? ControlFlow.insertAxis(t, 0, batch) : t);
        }
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        Config c = config(ctx);
        return (in, ec) -> {
            if (!c.batched) {
                Tensor[] states = new Tensor[c.states];
                System.arraycopy(in, 0, states, 0, c.states);
                Tensor[] scans = new Tensor[c.scanInputs];
                System.arraycopy(in, c.states, scans, 0, c.scanInputs);
                return scan(c, states, scans, -1, ec);
            }
            return scanBatched(c, in, ec);
        };
    }

    /**
     * Runs the body over the scan inputs (length taken along their axes, or the given length when
     * non-negative); returns the final states then the stacked scan outputs.
     */
    private static Tensor[] scan(Config c, Tensor[] states, Tensor[] scans, int length, ExecContext ec) {
        int[] axes = new int[c.scanInputs];
        int seq = -1;
        for (int j = 0; j < c.scanInputs; j++) {
            Tensor t = scans[j];
            axes[j] = axis(c.inputAxes[j], t.rank());
            if (axes[j] < 0 || axes[j] >= t.rank()) {
                throw new IllegalArgumentException("scan input " + j + " has rank " + t.rank()
                        + ", too small for its scan axis " + c.inputAxes[j]);
            }
            int len = t.dim(axes[j]);
            if (seq >= 0 && len != seq) {
                throw new IllegalArgumentException("scan inputs have different sequence lengths (" + seq + " and "
                        + len + ")");
            }
            seq = len;
        }
        int steps = length >= 0 ? length : seq;
        Tensor[] cur = states.clone();
        List<List<Tensor>> parts = new ArrayList<>();
        for (int k = 0; k < c.scanOutputs; k++) {
            parts.add(new ArrayList<>());
        }
        for (int i = 0; i < steps; i++) {
            Tensor[] bodyIn = new Tensor[c.states + c.scanInputs];
            System.arraycopy(cur, 0, bodyIn, 0, c.states);
            for (int j = 0; j < c.scanInputs; j++) {
                int index = c.inputDirections[j] == 1 ? steps - 1 - i : i;
                bodyIn[c.states + j] = ControlFlow.slice(scans[j], axes[j], index);
            }
            Tensor[] out = ((SubgraphContext) ec).runSubgraph(c.body, bodyIn);
            System.arraycopy(out, 0, cur, 0, c.states);
            for (int k = 0; k < c.scanOutputs; k++) {
                parts.get(k).add(out[c.states + k]);
            }
        }
        Tensor[] result = new Tensor[c.states + c.scanOutputs];
        System.arraycopy(cur, 0, result, 0, c.states);
        for (int k = 0; k < c.scanOutputs; k++) {
            Value declared = c.body.outputs().get(c.states + k);
            List<Tensor> p = parts.get(k);
            if (p.isEmpty()) {
                result[c.states + k] = empty(declared, (int) c.outputAxes[k]);
                continue;
            }
            int a = axis(c.outputAxes[k], p.get(0).rank() + 1);
            if (a < 0 || a > p.get(0).rank()) {
                throw new IllegalArgumentException("scan output " + k + " has rank " + (p.get(0).rank() + 1)
                        + ", too small for its axis " + c.outputAxes[k]);
            }
            result[c.states + k] = ControlFlow.stack(p, a, c.outputDirections[k] == 1, "scan output " + k);
        }
        return result;
    }

    /** Opset 8: one scan per batch entry, scan outputs zero-padded to the longest sequence. */
    private static Tensor[] scanBatched(Config c, Tensor[] in, ExecContext ec) {
        Tensor lens = in[0];
        Tensor firstScan = in[1 + c.states];
        if (firstScan.rank() < 2) {
            throw new IllegalArgumentException("scan inputs need a batch and a sequence axis, found rank "
                    + firstScan.rank());
        }
        int batch = firstScan.dim(0);
        int maxSeq = firstScan.dim(1);
        if (lens != null && lens.size() != batch) {
            throw new IllegalArgumentException("sequence_lens has " + lens.size() + " entries for a batch of " + batch);
        }
        if (batch == 0) {
            Tensor[] result = new Tensor[c.states + c.scanOutputs];
            for (int o = 0; o < result.length; o++) {
                Tensor one = empty(c.body.outputs().get(o), 0);
                int[] perStep = java.util.Arrays.copyOfRange(one.shape(), 1, one.rank());
                int[] shape = o < c.states ? one.shape() : prepend(new int[] {0, maxSeq}, perStep);
                result[o] = Tensor.allocate(one.dtype(), shape);
            }
            return result;
        }
        List<List<Tensor>> outs = new ArrayList<>();
        for (int o = 0; o < c.states + c.scanOutputs; o++) {
            outs.add(new ArrayList<>());
        }
        for (int b = 0; b < batch; b++) {
            int len = maxSeq;
            if (lens != null) {
                long v = lens.getLong(b);
                if (v < 1 || v > maxSeq) {
                    throw new IllegalArgumentException("sequence_lens[" + b + "] is " + v
                            + "; it must be between 1 and the sequence length " + maxSeq);
                }
                len = (int) v;
            }
            Tensor[] states = new Tensor[c.states];
            for (int i = 0; i < c.states; i++) {
                states[i] = ControlFlow.slice(in[1 + i], 0, b);
            }
            Tensor[] scans = new Tensor[c.scanInputs];
            for (int j = 0; j < c.scanInputs; j++) {
                Tensor x = in[1 + c.states + j];
                if (x.rank() < 2 || x.dim(0) != batch || x.dim(1) != maxSeq) {
                    throw new IllegalArgumentException("scan input " + j + " should start with dims [" + batch + ", "
                            + maxSeq + "]");
                }
                Tensor row = ControlFlow.slice(x, 0, b);
                scans[j] = len == maxSeq ? row : prefix(row, len);
            }
            Tensor[] r = scan(c, states, scans, len, ec);
            for (int o = 0; o < r.length; o++) {
                Tensor t = r[o];
                if (o >= c.states && len < maxSeq) {
                    t = padFirstAxis(t, maxSeq);
                }
                outs.get(o).add(t);
            }
        }
        Tensor[] result = new Tensor[c.states + c.scanOutputs];
        for (int o = 0; o < result.length; o++) {
            result[o] = ControlFlow.stack(outs.get(o), 0, false, o < c.states ? "state " + o : "scan output " + o);
        }
        return result;
    }

    private static int[] prepend(int[] head, int[] tail) {
        int[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    /** The first n entries of t along axis 0. */
    private static Tensor prefix(Tensor t, int n) {
        int[] shape = t.shape().clone();
        shape[0] = n;
        Tensor out = Tensor.allocate(t.dtype(), shape);
        out.copyFrom(t, 0, 0, out.size());
        return out;
    }

    /** t zero-padded along axis 0 to length n. */
    private static Tensor padFirstAxis(Tensor t, int n) {
        int[] shape = t.shape().clone();
        shape[0] = n;
        Tensor out = Tensor.allocate(t.dtype(), shape);
        out.copyFrom(t, 0, 0, t.size());
        return out;
    }

    /** A scan output of zero steps: the declared per-step dims (unknown ones 0) with 0 at axis. */
    private static Tensor empty(Value bodyOutput, int axis) {
        TensorType t = bodyOutput.type();
        DType dt = t.dtype() == null ? DType.FLOAT : t.dtype();
        int[] dims = t.shapeOrUnknown();
        if (dims == null) {
            return Tensor.allocate(dt, 0);
        }
        int rank = dims.length + 1;
        int a = axis < 0 ? axis + rank : axis;
        int[] shape = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            shape[i] = i == a ? 0 : Math.max(0, dims[j++]);
        }
        return Tensor.allocate(dt, shape);
    }
}
