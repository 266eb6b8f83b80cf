package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.BitShiftKernel;

/**
 * BitShift: x shifted left or right ({@code direction}) by y bits, unsigned integers, numpy broadcasting.
 * Kernel: {@link BitShiftKernel}.
 */
public final class BitShift extends BinaryElementwiseOp {
    @Override
    public int minOpset() {
        return 11;
    }
}
