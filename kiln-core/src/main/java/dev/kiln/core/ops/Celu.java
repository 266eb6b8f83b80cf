package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.CeluKernel;

/** Celu: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)) (alpha 1 by default). Kernel: {@link CeluKernel}. */
public final class Celu extends UnaryElementwiseOp {
    @Override
    public int minOpset() {
        return 12;
    }
}
