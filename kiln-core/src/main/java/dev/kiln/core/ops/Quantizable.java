package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.IntegerParams;

/**
 * An operator with an integer kernel (SPEC section 8). The kernel receives the node's inputs with
 * every quantized activation as its int8/int16 tensor (weights and biases come from {@link
 * IntegerParams}, other inputs such as shapes unchanged) and returns its quantized outputs as
 * int8/int16 tensors. Returns null when the given parameters cannot run in integers; the executor
 * then dequantizes, runs the float kernel and quantizes.
 */
public interface Quantizable {
    Kernel prepareInteger(OpContext ctx, IntegerParams q);
}
