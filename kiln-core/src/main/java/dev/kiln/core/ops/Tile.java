package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.movement.TileKernel;

import dev.kiln.runtime.tensor.Tensor;

/** Tile: repeats the input repeats[d] times along each dim d. Kernel: {@link TileKernel}. */
public final class Tile extends Op {
    /** Opset 1 Tile took tiles and axis inputs; the repeats form starts at opset 6. */
    @Override
    public int minOpset() {
        return 6;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] in = ctx.inputShape(0);
        if (in == null) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        Tensor c = ctx.constant(1);
        int[] out = new int[in.length];
        long[] r = c == null ? null : TileKernel.repeats(c, in.length);
        for (int i = 0; i < in.length; i++) {
            out[i] = r == null || in[i] < 0 ? -1 : ShapeArgs.dimSize(in[i] * r[i], "tiled dimension");
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }
}
