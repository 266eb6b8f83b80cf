package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.RNNKernel;

/**
 * RNN (opsets 7 and 14; layout from 14): Ht = f(Xt·Wᵀ + Ht-1·Rᵀ + Wb + Rb), f Tanh by default, its
 * input clipped when clip is set. As in ONNX Runtime, activation_alpha/activation_beta hold one
 * value per direction and default to 0.
 * Kernel: {@link RNNKernel}.
 */
public final class RNN extends RecurrentOp {
}
