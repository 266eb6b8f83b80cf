package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Trilu: keeps the upper (upper=1, the default: j - i >= k) or lower (j - i <= k) triangle of the
 * last two dims and zeroes the rest; k is an optional int64 scalar input (default 0).
 */
public final class TriluKernel extends NamedFactory {
    public static final TriluKernel INSTANCE = new TriluKernel();

    private TriluKernel() {
        super("Trilu", 124);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        boolean upper = ctx.attrs().getInt("upper", 1) != 0;
        return (in, ec) -> {
            Tensor x = in[0];
            int[] s = x.shape();
            if (s.length < 2) {
                throw new IllegalArgumentException("expects an input of rank 2 or more, found rank " + s.length);
            }
            long k = 0;
            if (in.length > 1 && in[1] != null) {
                k = ShapeArgs.longs(ShapeArgs.requireSingle(in[1], "k"), "k")[0];
            }
            int rows = s[s.length - 2];
            int cols = s[s.length - 1];
            Tensor out = x.copy();
            Tensor zero = Tensor.allocate(x.dtype(), 1);
            int matrices = rows * cols == 0 ? 0 : x.size() / (rows * cols);
            for (int m = 0; m < matrices; m++) {
                for (int i = 0; i < rows; i++) {
                    int row = (m * rows + i) * cols;
                    // columns kept: upper j >= i + k, lower j <= i + k
                    long edge = i + k;
                    int from;
                    int to;
                    if (upper) {
                        from = 0;
                        to = (int) Math.max(0, Math.min(cols, edge));
                    } else {
                        from = (int) Math.max(0, Math.min(cols, edge + 1));
                        to = cols;
                    }
                    if (to > from) {
                        Movement.fill(out.data(), row + from, row + to, zero);
                    }
                }
            }
            return new Tensor[] {out};
        };
    }
}
