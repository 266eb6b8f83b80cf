package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.GemmKernel;

/**
 * Gemm: Y = alpha * A' * B' + beta * C, A' and B' optionally transposed, C broadcast to Y.
 *
 * <p>Kernel: {@link GemmKernel}.
 */
public final class Gemm extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.COMPUTE;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] a = ctx.inputShape(0);
        int[] b = ctx.inputShape(1);
        boolean ta = ctx.attrs().getInt("transA", 0) != 0;
        boolean tb = ctx.attrs().getInt("transB", 0) != 0;
        int m = a == null || a.length != 2 ? -1 : (ta ? a[1] : a[0]);
        int n = b == null || b.length != 2 ? -1 : (tb ? b[0] : b[1]);
        ctx.setOutput(0, ctx.inputDtype(0), new int[] {m, n});
    }
}
