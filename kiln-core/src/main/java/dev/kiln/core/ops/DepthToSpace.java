package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.DepthToSpaceKernel;

/**
 * DepthToSpace: moves blocks of channels into b x b spatial blocks, [N, C, H, W] to
 * [N, C / b², H·b, W·b], in mode DCR (default) or CRD (opset 11). Kernel: {@link DepthToSpaceKernel}.
 */
public final class DepthToSpace extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        int b = DepthToSpaceKernel.blocksize(ctx);
        DepthToSpaceKernel.crd(ctx);
        int[] s = ctx.inputShape(0);
        if (s == null) {
            ctx.setOutput(0, ctx.inputDtype(0), new int[] {-1, -1, -1, -1});
            return;
        }
        if (s.length != 4) {
            throw ctx.error("expects a 4-D input, found rank " + s.length);
        }
        if (s[1] >= 0 && s[1] % (b * b) != 0) {
            throw ctx.error("channels (" + s[1] + ") must be a multiple of blocksize² (" + b * b + ")");
        }
        ctx.setOutput(0, ctx.inputDtype(0), new int[] {s[0], s[1] < 0 ? -1 : s[1] / (b * b),
            s[2] < 0 ? -1 : s[2] * b, s[3] < 0 ? -1 : s[3] * b});
    }
}
