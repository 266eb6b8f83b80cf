package dev.kiln.runtime.ops;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * What a kernel factory sees of its node: name, attributes, the opset in force, the inputs' element
 * types and static shapes, and the values of constant inputs. The toolchain supplies it from its
 * graph; the runtime from a compiled model's instruction.
 */
public interface KernelContext {
    String name();

    String opType();

    /** The opset version of the node's domain in force. */
    int opset();

    AttrView attrs();

    int inputCount();

    boolean hasInput(int i);

    /** Input i's element type, or null when unknown. */
    DType inputDtype(int i);

    /** Input i's shape with -1 for unknown dimensions, or null when even the rank is unknown. */
    int[] inputShape(int i);

    /** The value of input i when it is known before running (a weight, a shape...), else null. */
    Tensor constant(int i);

    int outputCount();

    /** True when output i exists and is not an omitted optional output. */
    boolean hasOutput(int i);

    /** An error naming this node, its op type and what is wrong. */
    RuntimeException error(String message);
}
