package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.LSTMKernel;

/**
 * LSTM (opsets 7 and 14; layout from 14), gates i, o, f, c and peepholes i, o, f. Kernel, with the
 * per-step formulas: {@link LSTMKernel}.
 */
public final class LSTM extends RecurrentOp {
}
