package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ModKernel;

/**
 * Mod: remainder with numpy broadcasting. {@code fmod=1} is C's fmod (sign of the dividend, the
 * only mode allowed for floats); {@code fmod=0} is the integer modulus with the sign of the divisor.
 * Kernel: {@link ModKernel}.
 */
public final class Mod extends BinaryElementwiseOp {
    @Override
    public int minOpset() {
        return 10;
    }
}
