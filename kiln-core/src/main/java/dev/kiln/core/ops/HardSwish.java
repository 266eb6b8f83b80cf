package dev.kiln.core.ops;

import dev.kiln.runtime.ops.elementwise.HardSwishKernel;

/** HardSwish: x * max(0, min(1, x / 6 + 0.5)). Kernel: {@link HardSwishKernel}. */
public final class HardSwish extends UnaryElementwiseOp {
    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    public int minOpset() {
        return 14;
    }
}
