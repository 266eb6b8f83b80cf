package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.MatMulIntegerKernel;

import dev.kiln.runtime.tensor.DType;

import java.util.Arrays;

/**
 * MatMulInteger (opset 10): {@code y = (a - a_zero_point) @ (b - b_zero_point)} with numpy
 * matmul broadcasting, accumulated in int32. a and b are int8 or uint8; a_zero_point is a scalar
 * or per row (1-D of length M, or a's shape with last dim 1), b_zero_point a scalar or per column
 * (1-D of length N, or b's shape with second-to-last dim 1); both default to 0.
 *
 * <p>Kernel: {@link MatMulIntegerKernel}.
 */
public final class MatMulInteger extends Op {
    @Override
    public int minOpset() {
        return 10;
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutput(0, DType.INT32, inferMatMulShape(ctx.inputShape(0), ctx.inputShape(1)));
    }

    /** numpy matmul output shape with unknown (-1) dims, for inference; null when a rank is unknown. */
    static int[] inferMatMulShape(int[] a, int[] b) {
        if (a == null || b == null || a.length == 0 || b.length == 0) {
            return null;
        }
        int[] aB = a.length <= 2 ? new int[0] : Arrays.copyOf(a, a.length - 2);
        int[] bB = b.length <= 2 ? new int[0] : Arrays.copyOf(b, b.length - 2);
        int[] batch = Infer.broadcast(aB, bB);
        int extra = (a.length > 1 ? 1 : 0) + (b.length > 1 ? 1 : 0);
        int[] out = Arrays.copyOf(batch, batch.length + extra);
        int at = batch.length;
        if (a.length > 1) {
            out[at++] = a[a.length - 2];
        }
        if (b.length > 1) {
            out[at] = b[b.length - 1];
        }
        return out;
    }
}
