package dev.kiln.core.ops;

import dev.kiln.core.ir.Graph;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.tensor.Tensor;

/** The toolchain executor's context: besides threads, it runs the subgraphs of control-flow nodes. */
public interface SubgraphContext extends ExecContext {
    /**
     * Runs a subgraph of the node (If branch, Loop body) on positional inputs; values of enclosing
     * scopes are resolved by the executor. Returns the subgraph's outputs in order.
     */
    Tensor[] runSubgraph(Graph subgraph, Tensor[] inputs);
}
