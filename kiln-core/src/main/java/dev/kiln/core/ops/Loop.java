package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Loop (opsets 1 to 21). Inputs M (max trip count) and cond, each optional, then N loop-carried
 * values; the body takes (iteration_num, cond, N carried) and returns (cond, N carried, K scan
 * outputs). Runs while iteration_num &lt; M and cond holds (both checked before every iteration;
 * absent ones count as true), feeding each iteration's carried values to the next; their shapes may
 * change. Outputs the final carried values and each scan output stacked over the iterations along
 * a new first axis. As in ONNX Runtime, the body's cond output is obeyed even when the cond input
 * is omitted, and with zero iterations a scan output has shape [0] + its declared per-iteration
 * shape (unknown dims as 0).
 */
public final class Loop extends Op {
    @Override
    public int opcode() {
        return 112;
    }

    /** Body signature: N carried values and K scan outputs. */
    private static final class Signature {
        final int carried;
        final int scans;

        Signature(int carried, int scans) {
            this.carried = carried;
            this.scans = scans;
        }
    }

    private static Signature signature(OpContext ctx, Graph body) {
        int carried = Math.max(0, ctx.inputCount() - 2);
        if (body.inputs().size() != carried + 2) {
            throw ctx.error("the body takes " + body.inputs().size() + " inputs but should take " + (carried + 2)
                    + " (iteration number, condition and the " + carried + " loop-carried values)");
        }
        int scans = body.outputs().size() - 1 - carried;
        if (scans < 0) {
            throw ctx.error("the body returns " + body.outputs().size() + " outputs but should return at least "
                    + (carried + 1) + " (condition and the " + carried + " loop-carried values)");
        }
        if (ctx.outputCount() > carried + scans) {
            throw ctx.error("the node has " + ctx.outputCount() + " outputs but its body yields only " + carried
                    + " loop-carried values and " + scans + " scan outputs");
        }
        return new Signature(carried, scans);
    }

    @Override
    public void infer(OpContext ctx) {
        Graph body = ControlFlow.graph(ctx, "body");
        Signature sig = signature(ctx, body);
        List<TensorType> in = new ArrayList<>();
        // iteration_num and cond are scalars unless the body declares them as [1]
        in.add(scalarType(body.inputs().get(0), DType.INT64));
        in.add(scalarType(body.inputs().get(1), DType.BOOL));
        for (int i = 0; i < sig.carried; i++) {
            // a carried value may change shape from one iteration to the next
            in.add(ControlFlow.elementTypeOnly(ctx.inputType(i + 2)));
        }
        List<TensorType> out = ControlFlow.infer(ctx, body, in);
        for (int i = 0; i < sig.carried; i++) {
            ctx.setOutput(i, ControlFlow.union(ctx.inputType(i + 2), out.get(1 + i)));
        }
        for (int k = 0; k < sig.scans; k++) {
            ctx.setOutput(sig.carried + k, ControlFlow.insertAxis(out.get(1 + sig.carried + k), 0, Dim.UNKNOWN));
        }
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        Graph body = ControlFlow.graph(ctx, "body");
        Signature sig = signature(ctx, body);
        int[] iterShape = ControlFlow.scalarShape(body.inputs().get(0));
        int[] condShape = ControlFlow.scalarShape(body.inputs().get(1));
        List<Value> bodyOutputs = body.outputs();
        return (in, ec) -> {
            long maxTrips = Long.MAX_VALUE;
            if (in.length > 0 && in[0] != null) {
                if (in[0].size() != 1) {
                    throw new IllegalArgumentException("M must hold exactly one element");
                }
                maxTrips = in[0].getLong(0);
            }
            boolean cond = in.length <= 1 || in[1] == null || ControlFlow.condition(in[1], "cond");
            Tensor[] carried = new Tensor[sig.carried];
            for (int i = 0; i < sig.carried; i++) {
                carried[i] = in[i + 2];
            }
            List<List<Tensor>> scans = new ArrayList<>();
            for (int k = 0; k < sig.scans; k++) {
                scans.add(new ArrayList<>());
            }
            long iteration = 0;
            while (iteration < maxTrips && cond) {
                Tensor[] bodyIn = new Tensor[sig.carried + 2];
                bodyIn[0] = Tensor.ofLongs(new long[] {iteration}, iterShape);
                bodyIn[1] = Tensor.ofBools(new boolean[] {cond}, condShape);
                System.arraycopy(carried, 0, bodyIn, 2, sig.carried);
                Tensor[] out = ((SubgraphContext) ec).runSubgraph(body, bodyIn);
                cond = ControlFlow.condition(out[0], "the body's condition output");
                System.arraycopy(out, 1, carried, 0, sig.carried);
                for (int k = 0; k < sig.scans; k++) {
                    scans.get(k).add(out[1 + sig.carried + k]);
                }
                iteration++;
            }
            Tensor[] result = new Tensor[sig.carried + sig.scans];
            System.arraycopy(carried, 0, result, 0, sig.carried);
            for (int k = 0; k < sig.scans; k++) {
                List<Tensor> parts = scans.get(k);
                result[sig.carried + k] = parts.isEmpty() ? empty(bodyOutputs.get(1 + sig.carried + k))
                        : ControlFlow.stack(parts, 0, false, "scan output " + k);
            }
            return result;
        };
    }

    private static TensorType scalarType(Value declared, DType dtype) {
        return declared.type().hasRank() ? TensorType.unranked(dtype) : TensorType.of(dtype);
    }

    /** A scan output of zero iterations: [0] + the body output's declared dims (unknown ones 0). */
    private static Tensor empty(Value bodyOutput) {
        TensorType t = bodyOutput.type();
        DType dt = t.dtype() == null ? DType.FLOAT : t.dtype();
        int[] dims = t.shapeOrUnknown();
        int[] shape = new int[dims == null ? 1 : dims.length + 1];
        for (int i = 1; i < shape.length; i++) {
            shape[i] = Math.max(0, dims[i - 1]);
        }
        return Tensor.allocate(dt, shape);
    }
}
