package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.TensorType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.List;

/**
 * If (opsets 1 to 21): runs then_branch or else_branch on the single element of cond and returns
 * that branch's outputs, whose shapes may differ between the branches (from opset 11). Inference
 * takes the chosen branch's types when cond is known, else what both branches agree on.
 */
public final class If extends Op {
    @Override
    public int opcode() {
        return 111;
    }

    @Override
    public void infer(OpContext ctx) {
        Graph thenBranch = ControlFlow.graph(ctx, "then_branch");
        Graph elseBranch = ControlFlow.graph(ctx, "else_branch");
        checkOutputCounts(ctx, thenBranch, elseBranch);
        List<TensorType> thenTypes = ControlFlow.infer(ctx, thenBranch, List.of());
        List<TensorType> elseTypes = ControlFlow.infer(ctx, elseBranch, List.of());
        Tensor cond = ctx.constant(0);
        Boolean known = cond != null && cond.size() == 1 ? cond.getBool(0) : null;
        for (int i = 0; i < ctx.outputCount(); i++) {
            TensorType t;
            if (known != null) {
                t = known ? thenTypes.get(i) : elseTypes.get(i);
            } else {
                t = ControlFlow.union(thenTypes.get(i), elseTypes.get(i));
            }
            ctx.setOutput(i, t);
        }
    }

    private static void checkOutputCounts(OpContext ctx, Graph thenBranch, Graph elseBranch) {
        int t = thenBranch.outputs().size();
        int e = elseBranch.outputs().size();
        if (t != e || t != ctx.outputCount()) {
            throw ctx.error("then_branch has " + t + " outputs and else_branch " + e + ", but the node has "
                    + ctx.outputCount() + "; all three must be equal");
        }
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        Graph thenBranch = ControlFlow.graph(ctx, "then_branch");
        Graph elseBranch = ControlFlow.graph(ctx, "else_branch");
        checkOutputCounts(ctx, thenBranch, elseBranch);
        return (in, ec) -> ((SubgraphContext) ec).runSubgraph(ControlFlow.condition(in[0], "cond") ? thenBranch : elseBranch,
                new Tensor[0]);
    }
}
