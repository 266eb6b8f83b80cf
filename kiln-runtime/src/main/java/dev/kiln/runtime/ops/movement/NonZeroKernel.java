package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * NonZero: the coordinates of the non-zero elements (NaN counts, -0 does not) as an int64
 * [rank, count] tensor in row-major order. A scalar reports one coordinate row, as ONNX Runtime
 * does.
 */
public final class NonZeroKernel extends NamedFactory {
    public static final NonZeroKernel INSTANCE = new NonZeroKernel();

    private NonZeroKernel() {
        super("NonZero", 105);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
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
