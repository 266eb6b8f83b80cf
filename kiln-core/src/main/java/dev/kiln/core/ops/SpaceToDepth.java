package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.Movement;
import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.Tensor;

/** SpaceToDepth: the inverse of DepthToSpace (DCR), [N, C, H, W] to [N, C·b², H / b, W / b]. */
public final class SpaceToDepth extends Op {
    @Override
    public int opcode() {
        return 80;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    private static int blocksize(OpContext ctx) {
        long b = ctx.attrs().getInt("blocksize", -1);
        if (b < 1) {
            throw ctx.error("needs a positive blocksize attribute; found " + (b == -1 ? "none" : b));
        }
        return (int) b;
    }

    @Override
    public void infer(OpContext ctx) {
        int b = blocksize(ctx);
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

    @Override
    public Kernel prepare(OpContext ctx) {
        int b = blocksize(ctx);
        return (in, ec) -> {
            Tensor x = in[0];
            int[] s = x.shape();
            if (s.length != 4 || s[2] % b != 0 || s[3] % b != 0) {
                throw new IllegalArgumentException("expects a 4-D input with spatial dims multiples of " + b
                        + ", found " + java.util.Arrays.toString(s));
            }
            int h = s[2] / b;
            int w = s[3] / b;
            Tensor t = Movement.transpose(x, new int[] {s[0], s[1], h, b, w, b}, new int[] {0, 3, 5, 1, 2, 4},
                    ec.parallel());
            return new Tensor[] {t.reshape(s[0], s[1] * b * b, h, w)};
        };
    }
}
