package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.ErfKernel;

/**
 * Erf: the Gauss error function; float32 through the runtime's vectorised erf (about 1 ulp).
 * Kernel: {@link ErfKernel}.
 */
public final class Erf extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    public int minOpset() {
        return 9;
    }
}
