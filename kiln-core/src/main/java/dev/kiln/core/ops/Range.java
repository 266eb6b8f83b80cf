package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.RangeKernel;

/**
 * Range: start, start + delta, ... up to but excluding limit; the length depends on the values, so
 * inference leaves it unknown. Kernel: {@link RangeKernel}.
 */
public final class Range extends Op {
    @Override
    public int minOpset() {
        return 11;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, ctx.inputDtype(0), new int[] {-1});
    }
}
