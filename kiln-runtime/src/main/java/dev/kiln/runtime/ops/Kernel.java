package dev.kiln.runtime.ops;

import dev.kiln.runtime.tensor.Tensor;

/**
 * A node ready to run: attributes parsed and constant weights prepared once. Receives the input
 * tensors aligned with the node's inputs (null where omitted) and returns the outputs aligned
 * with the node's outputs. Must not modify its inputs; may be called from several threads.
 */
@FunctionalInterface
public interface Kernel {
    Tensor[] run(Tensor[] inputs, ExecContext ctx);
}
