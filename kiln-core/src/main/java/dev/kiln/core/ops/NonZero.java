package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * NonZero: the coordinates of the non-zero elements (NaN counts, -0 does not) as an int64
 * [rank, count] tensor in row-major order. A scalar reports one coordinate row, as ONNX Runtime
 * does. The count depends on the data, so inference leaves it unknown.
 */
public final class NonZero extends Op {
    @Override
    public int opcode() {
        return 105;
    }

    @Override
    public int minOpset() {
        return 9;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] s = ctx.inputShape(0);
        ctx.setOutput(0, DType.INT64, new int[] {s == null ? -1 : Math.max(1, s.length), -1});
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        return (in, ec) -> {
            Tensor x = in[0];
            int n = x.size();
            int[] shape = x.shape();
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (x.getBool(i)) {
                    count++;
                }
            }
            int rank = shape.length;
            long[] out = new long[Math.max(1, rank) * count];
            int col = 0;
            for (int i = 0; i < n; i++) {
                if (!x.getBool(i)) {
                    continue;
                }
                int rem = i;
                for (int d = rank - 1; d >= 0; d--) {
                    out[d * count + col] = rem % shape[d];
                    rem /= shape[d];
                }
                col++;
            }
            return new Tensor[] {Tensor.wrap(DType.INT64, new int[] {Math.max(1, rank), count}, out)};
        };
    }
}
