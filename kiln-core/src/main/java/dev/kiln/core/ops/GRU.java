package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.GRUKernel;

/**
 * GRU (opsets 7 and 14; linear_before_reset from 3, layout from 14), gates z, r, h. Kernel, with
 * the per-step formulas: {@link GRUKernel}.
 */
public final class GRU extends RecurrentOp {
}
