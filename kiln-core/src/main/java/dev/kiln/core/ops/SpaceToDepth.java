package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.DepthToSpaceKernel;
import dev.kiln.runtime.ops.movement.SpaceToDepthKernel;

/**
 * SpaceToDepth: the inverse of DepthToSpace (DCR), [N, C, H, W] to [N, C·b², H / b, W / b]. Kernel:
 * {@link SpaceToDepthKernel}.
 */
public final class SpaceToDepth extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        int b = DepthToSpaceKernel.blocksize(ctx);
        int[] s = ctx.inputShape(0);
        if (s == null) {
            ctx.setOutput(0, ctx.inputDtype(0), new int[] {-1, -1, -1, -1});
            return;
        }
        if (s.length != 4) {
            throw ctx.error("expects a 4-D input, found rank " + s.length);
        }
        for (int d = 2; d < 4; d++) {
            if (s[d] >= 0 && s[d] % b != 0) {
                throw ctx.error("spatial dims " + s[2] + "x" + s[3] + " must be multiples of blocksize " + b);
            }
        }
        ctx.setOutput(0, ctx.inputDtype(0), new int[] {s[0], s[1] < 0 ? -1 : s[1] * b * b,
            s[2] < 0 ? -1 : s[2] / b, s[3] < 0 ? -1 : s[3] / b});
    }
}
