package dev.kiln.core.ops;

import dev.kiln.core.ir.Graph;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;

/** What a running kernel may ask of the executor. */
public interface ExecContext {
    /** Threads available to this kernel. */
    Parallel parallel();

    /**
     * Runs a subgraph of the node (If branch, Loop body) on positional inputs; values of enclosing
     * scopes are resolved by the executor. Returns the subgraph's outputs in order.
     */
    Tensor[] runSubgraph(Graph subgraph, Tensor[] inputs);
}
